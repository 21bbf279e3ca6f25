"""The site's section menu, in the order the seed page shows it (DESIGN.md, "Sections")."""

SECTION_NAMES: tuple[str, ...] = (
    "News",
    "World",
    "Market",
    "Environment",
    "Technology",
    "Personal Finance",
    "Politics",
    "Retail",
    "Business",
    "Economy",
    "Cryptocurrency",
    "Forex",
    "Stocks Market",
    "Commodities",
)
