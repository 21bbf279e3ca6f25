"""Every write to the store, one module per concern (as Zulip's ``zerver/actions``).

Views, commands and workers call these functions; nothing else calls ``Model.save()``.
"""
