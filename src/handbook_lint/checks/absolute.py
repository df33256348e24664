"""Absolute family: certainty about safety or results that nothing backs up.

These are Python checks, not Vale word lists, because the same words are honest or
not depending on what surrounds them: "It is safe" is a promise, "No treatment is
completely safe" is the truth, "may be safe for most people" is hedged, "the clinic
says it is safe" is attributed, and "it is safe {cite:p}`key`" has its source. Each
check pairs one pattern with the shared reading of its sentence in
:mod:`._context`; a match stays quiet when the sentence negates, hedges, attributes
or quotes it, asks a question, or cites a source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Check, Context
from ._context import cited, quantified_before, surroundings
from ._prefilter import Scanner, doc_index

_FTC = "https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance"
_DISCERN = "http://www.discern.org.uk/general_instructions.php"
_NHS = "https://service-manual.nhs.uk/content/how-we-write"

_SAFETY = Scanner(
    r"\b(?:100\s?%|completely|totally|perfectly|entirely|absolutely|very|extremely|"
    r"incredibly|inherently|exceptionally|(?:clinically\s+)?proven|simple,?|quick,?|"
    r"easy,?|gentle,?|natural,?|effective,?)\s+(?:and\s+)?safe\b"
    r"|\b(?:is|are|be|been|it[’']s)\s+safe\b(?!\s+to\b)"
    r"|\bsafe\s*(?:,|and|&|yet|but\s+also)\s*(?:effective|natural|gentle|simple|painless|proven|"
    r"reliable)\b"
    r"|\ba\s+safe(?:,?\s+(?:and\s+|yet\s+)?[\w-]+){0,3}?\s+(?:procedure|treatment|option|"
    r"alternative|way|choice|solution|approach|method|therapy|technique)\b"
    r"|\b(?:is|are|be|been)\s+safely\s+(?:delivered|performed|administered|given|done|used)\b"
    r"|\bno\s+(?:downsides?|drawbacks?|complications?|dangers?)\b"
    r"|\bnever\s+(?:been\s+)?(?:any\s+)?(?:complications?|side[- ]effects?|adverse\s+\w+|problems|"
    r"infections?)\b"
    r"|\bnever\s+(?:causes?|caused|leads?\s+to|results?\s+in)\s+(?:any\s+)?(?:[\w-]+\s+)?(?:complications?|"
    r"side[- ]effects?|problems|harm|infections?|damage)\b"
    r"|\bno\s+(?:chance|possibility|danger)\s+of\s+(?:infection|complications?|side\s+effects|"
    r"harm|injury|damage|problems|rejection|(?:an\s+)?allergic\s+reactions?)\b"
    r"|\b(?:much|far|significantly|a\s+lot|considerably)\s+safer\b|\bsafer\s+than\b"
    r"|\b(?:removes?|eliminates?|removing|eliminating)\s+(?:any|all|the)\s+(?:chance|risk|danger)s?\b"
    r"|\bsafer\s+and\s+(?:more\s+)?effective\b"
    r"|\bthe\s+safest\s+(?:[\w-]+\s+){0,3}?(?:treatment|option|procedure|way|choice|alternative|therapy|"
    r"method|solution)\b"
    r"|\b(?:risk[- ]free|harmless|zero\s+risk|no\s+risks?|without\s+(?:any\s+|the\s+)?(?:risks?|dangers?))\b"
    r"|\b(?:very\s+|extremely\s+)?low[- ]risk\s+(?:alternative|option|procedure|treatment|"
    r"therapy|solution)\b"
    r"|\b(?:no|zero|without(?:\s+any|\s+the)?)\s+(?:\w+\s+)?side[- ]effects\b"
    r"|\bfree\s+(?:of|from)\s+(?:any\s+)?(?:side[- ]effects|risks?)\b"
    r"|\bside[- ]effect[- ]free\b|\bworry[- ]free\b"
    r"|\bnothing\s+(?:can|will|could)\s+go\s+wrong\b|\bcan[’']?t\s+go\s+wrong\b"
    r"|\b(?:perfect|flawless|spotless|impeccable|100\s?%|unblemished|clean)\s+safety\s+record\b"
    r"|\bno\s+known\s+(?:risks?|side[- ]effects|complications|dangers)\b"
    r"|\b(?:cannot|can[’']t|won[’']t|will\s+not|could\s+not|couldn[’']t)\s+(?:possibly\s+)?(?:have|get|cause|"
    r"develop)\s+(?:an?\s+)?(?:bad\s+|allergic\s+|adverse\s+)?(?:reactions?|infections?|complications?|"
    r"side[- ]effects|rejection)\b|\b(?:cannot|can[’']t|won[’']t)\s+(?:be\s+)?reject"
    r"|\bno\s+(?:chance|possibility|risk|way)\s+(?:that\s+)?(?:the|this|it|your|you)\b[^.;:!?]{0,40}\b(?:worse|"
    r"harm|hurt|damage|fail|go\s+wrong)"
    r"|\b(?:shots?|injections?|treatments?|procedures?|needles?|therapy|laser)\s+(?:cannot|can[’']t|won[’']t|"
    r"will\s+not)\s+(?:possibly\s+)?(?:damage|harm|hurt|injure)\b"
    r"|\bnone\s+of\s+the\s+(?:risks?|dangers?|side[- ]effects|complications|downsides?|drawbacks)\b"
    r"|\bno\s+way\s+(?:for\s+(?:[\w’']+\s+){0,3}?)?to\s+(?:reject|react|harm|hurt|go\s+wrong|get\s+(?:an?\s+)?"
    r"infect\w*)"
    r"|\bno\s+(?:patient|one|client|person)(?:\s+(?:of\s+ours|here|at\s+our\s+\w+|we\s+have\s+treated))?\s+"
    r"(?:has|have)\s+ever\s+(?:had|experienced|reported|suffered|developed|gotten|got)\b"
    r"|\bnever\s+(?:experience|have|get|suffer|develop|report|see)\s+(?:any\s+)?(?:complications?|"
    r"side[- ]effects?|problems|infections?|adverse\s+\w+)\b"
    r"|\b(?:suitable|appropriate|safe)\s+for\s+(?:everyone|everybody|anyone|(?:patients\s+of\s+)?"
    r"all\s+ages|any\s+age|people\s+of\s+all\s+ages)\b"
    r"|\bnothing\s+to\s+(?:fear|worry\s+about)\b|\bno\s+need\s+to\s+(?:worry|be\s+afraid)\b",
    re.IGNORECASE,
)
_PAINLESS = Scanner(
    r"\bpainless(?:ly)?\b|\bpain[- ]free\b"
    r"|\bpain[- ]free\s+(?:procedure|treatment|injections?|therapy|experience|recovery)\b"
    r"|\b(?:without|no)\s+(?:any\s+)?(?:pain|discomfort)\s+(?:at\s+all|whatsoever)\b"
    r"|\bwon[’']t\s+feel\s+(?:a\s+thing|any(?:thing|\s+pain))\b"
    r"|\b(?:minimal|little\s+(?:to|or)\s+no)\s+(?:pain|discomfort)\b"
    r"|\bno\s+[\w-]+,\s+no\s+(?:pain|discomfort)\b|\bno\s+(?:pain|discomfort),?\s+(?:and\s+|or\s+)?no\s+[\w-]+"
    r"|\b(?:with|and|feel|have|experience)\s+zero\s+(?:pain|discomfort)\b"
    r"|\bnever\s+(?:experience|feel|have)\s+(?:any\s+)?(?:pain|discomfort)\b"
    r"|\bfeels?\s+(?:absolutely\s+)?nothing\b",
    re.IGNORECASE,
)
_CURE = Scanner(
    r"\bcur(?:e|es|ed|ing)\b(?!\s+rates?\b)"
    r"|\b(?:eliminat|eradicat)(?:e|es|ed|ing|ion)\b"
    r"|\bget(?:s|ting)?\s+rid\s+of\s+(?:\w+\s+){0,2}(?:pain|symptoms|arthritis)\b"
    # "it takes months to recover fully" gives a time, not a promise: not after "to".
    r"|(?<!\bto\s)\b(?:heal|heals|healed|healing|repair|repairs|repaired|restore|restores|restored|"
    r"resolve|resolves|resolved|fix|fixes|fixed|stop|stops|stopped|end|ends|ended|relieve|"
    r"relieves|relieved|recover|recovers|recovered|prevent|prevents|prevented|blocks|removes|clears|"
    r"flushes|(?:shuts?|turns?|switch(?:es)?)\s+off)\s+(?:[\w’'-]+\s+){0,4}?(?:completely|fully|"
    r"permanently|entirely|for\s+good|once\s+and\s+for\s+all)\b"
    r"|\b(?:completely|fully|permanently|totally|entirely)\s+(?:heal|heals|healed|healing|"
    r"repair\w*|restor\w+|resolv\w+|regenerat\w+|rebuil\w+|revers\w+|gone|pain[- ]free)\b"
    r"|\b(?:complete|total|full|100\s?%|permanent)\s+(?:pain\s+)?(?:relief|recovery|healing|"
    r"resolution|fix|solution|repair|regeneration|answer|cure|end)\b"
    r"|\bpermanent(?:ly)?\s+(?:results?|improvement|relief)\b"
    r"|\b(?:long[- ])?lasting,?\s+(?:[\w-]+,?\s+){0,2}?(?:pain\s+)?relief\b"
    r"|\b(?:and|then)\s+(?:repair|heal|fix|rebuild|regenerate)s?\s+(?:it|them)\b"
    r"|\b(?:regrow|regrows|regrew|rebuild|rebuilds|rebuilt|regenerate|regenerates|reverse|"
    r"reverses|reversed)\s+(?:[\w’'-]+\s+){0,2}?(?:cartilage|discs?|bones?|tissues?|ligaments?|"
    r"tendons?|joints?|damage|arthritis|degeneration|structures?|aging|ageing|wear|clock|years|spines?|"
    r"backs?|knees?|hips?|shoulders?|body|bodies)\b"
    r"|(?:will|[’']ll)\s+never\s+(?:[\w’'-]+\s+){0,6}?again\b"
    r"|\b(?:relief|results?|effects?|benefits?)\s+(?:that\s+)?(?:will\s+not|won[’']t|never|doesn[’']t|does\s+not)\s+"
    r"(?:\w+\s+)?wear\s+off\b"
    r"|\bas\s+(?:strong|good|healthy|flexible|young)\s+as\s+(?:it|they|you)\s+(?:was|were)\s+(?:at|in|when|before|"
    r"years)\b"
    r"|\b(?:eliminat\w+|remov\w+|ends?|prevent\w*)\s+(?:the\s+|any\s+)?need\s+for\b"
    r"|\bfor\s+good\b|\bonce\s+and\s+for\s+all\b|\bforever\b"
    r"|\b(?:as\s+good\s+as|like)\s+new\b|\b(?:feel|feels|look|looks)\s+(?:like\s+)?brand[- ]new\b"
    r"|(?<!\bwhen\s)(?<!\bonce\s)(?<!\buntil\s)(?<!\bafter\s)(?<!\bbefore\s)(?<!\bif\s)\b(?:the|your)\s+"
    r"(?:[\w-]+\s+)?(?:pain|symptoms|aches?|stiffness|sciatica|discomfort)\s+(?:is|are|will\s+be)\s+"
    r"(?:\w+\s+)?(?:gone|over|history)\b"
    r"|\b(?:pain|symptoms|aches?|discomfort|stiffness|arthritis|sciatica)\s+(?:simply\s+|just\s+|"
    r"completely\s+|will\s+|then\s+|quickly\s+|soon\s+)?(?:disappears?|vanish(?:es)?|"
    r"(?:melts?|goes|go|fades?)\s+away)\b(?!\s+(?:on\s+its\s+own|by\s+itself|without))"
    r"|\bwill\s+never\s+(?:[\w’'-]+\s+){0,2}?again\b|\bnever\s+(?:hurt|ache|suffer)s?\s+again\b"
    r"|\b(?:never|won[’']t|will\s+not)\s+(?:come|comes|coming)\s+back\b"
    r"|\b(?:does\s+not|doesn[’']t|will\s+not|won[’']t|never)\s+(?:return|returns|recur|recurs)\b"
    r"|\bnever\s+(?:again\s+)?(?:need|needs|require|requires|have\s+to\s+(?:have|take|undergo))\b(?!\s+to\b)"
    r"|\bwill\s+be\s+(?:\w+\s+)?(?:gone|cured|healed|fixed|a\s+thing\s+of\s+the\s+past)\b"
    r"|\bthing\s+of\s+the\s+past\b"
    r"|\bheal(?:s|ed)?\s+(?:the\s+)?(?:underlying|root)\s+(?:problem|cause|condition)\b"
    r"|\b(?:pain|problem)\s+(?:\w+\s+){0,2}?at\s+(?:its|the)\s+(?:source|root)\b"
    r"|\b(?:producing|produce|produces|grow|grows|growing|creat\w+|form|forms|forming|construct\w*|"
    r"build|builds|building)\s+"
    r"(?:new\s+|healthy\s+)?(?:tendons|ligaments|bones?|joints|cartilage|discs?|tissues?|cells)\b"
    r"|\brestor\w*\s+(?:the\s+)?(?:[\w-]+\s+)?(?:health|function)\s+of\b"
    r"|\bend\s+(?:your|the)\s+(?:pain|suffering|symptoms)\b|\bin\s+its\s+tracks\b"
    r"|\bno\s+more\s+(?:pain|pills|suffering|surgery|painkillers|aches|injections)\b"
    r"|\blong[- ]term\s+(?:solution|fix|cure)\b"
    r"|\bwill\s+(?:[\w-]+\s+){0,2}without\s+(?:any\s+)?pain\b"
    r"|\b(?:treats?|fix(?:es)?|address(?:es)?|eliminat\w+|targets?|corrects?|resolv\w+|remov\w+)\s+"
    r"(?:the\s+)?(?:root\s+cause|underlying\s+cause|cause|source)\s+of\s+(?:your\s+|the\s+)?"
    r"(?:pain|problem)\b"
    r"|\b(?:treats?|fix(?:es)?|address(?:es)?|correct(?:s)?|resolv\w+|heal(?:s)?)\s+(?:the|your)\s+"
    r"underlying\s+(?:problem|issue|condition|cause)\b"
    r"|\b(?:relief|results?|effects?|improvement|benefits?)\s+(?:is|are|will\s+be)\s+(?:\w+\s+)?"
    r"(?:permanent|lifelong|guaranteed|complete|total)\b"
    r"|\b(?:relief|results?|effects?|improvement|benefits?)\s+(?:is|are|will\s+be)\s+"
    r"(?:long[- ]term|long[- ]lasting|lasting|durable)\b"
    r"|\b(?:lasting\s+results|results\s+that\s+last)\b"
    r"|\b(?:full|complete)\s+(?:function|mobility|range\s+of\s+motion|strength|movement|motion|"
    r"flexibility|use)\b"
    r"|\b(?:stronger|better|healthier)\s+than\s+(?:before|ever)\b"
    r"|\bbetter\s+than\s+(?:you\s+have|you[’']ve|in)\s+(?:felt\s+)?(?:in\s+)?(?:years|decades|a\s+long\s+time|"
    r"ages)\b"
    r"|\b(?:completely|totally|entirely|100\s?%)\s+free\s+(?:of|from)\s+(?:pain|symptoms)\b"
    r"|\bput\s+an\s+end\s+to\s+(?:[\w-]+\s+){0,3}?(?:pain|suffering|symptoms)\b"
    r"|\b(?:feel|feeling|feels|look|looking)\s+(?:\d+\s+|ten\s+|twenty\s+)?years\s+younger\b"
    r"|\bfor\s+life\b|\blike\s+(?:they|it|you)\s+did\s+(?:when|years|before)\b"
    r"|(?<!\bto\s)\b(?:heal(?:s|ed)?|fix(?:es|ed)?|repair(?:s|ed)?|correct(?:s|ed)?)\s+(?:[\w’'-]+\s+){0,3}?(?:discs?|cartilage|tendons?|ligaments?|joints?|"
    r"injur(?:y|ies)|tissues?|bones?|nerves?|arthritis|damage|tears?|spines?|backs?|knees?|cuffs?|"
    r"muscles?|menisc\w*|labr\w*|fractures?|sprains?|strains?|shoulders?|hips?|necks?)\b"
    r"|\b(?:is|are|be|been)\s+(?:completely\s+|truly\s+|totally\s+)?(?:permanent|lifelong)\b"
    r"|\bnever\s+(?:need|have)\s+(?:\w+\s+)?(?:another|more|any)\s+(?:\w+\s+)?"
    r"(?:injections?|treatments?|surgery|pills|medicines?|medication|pain)\b"
    r"|\b(?:full|perfect|complete)\s+health\b"
    r"|\bperfect\s+(?:alignment|posture|results?|function|joints?|spine|backs?|mobility|movement)\b"
    r"|\brestor\w*\s+(?:[\w’'-]+\s+){0,3}?to\s+(?:full|normal|perfect|its\s+original|new|(?:its|their|"
    r"your|a|the)\s+(?:[\w,-]+\s+){0,2}?(?:state|condition|health|self|form|function|strength))\b"
    r"|\bno\s+longer\s+(?:have|need)\s+to\s+(?:live\s+with|suffer|put\s+up\s+with|worry|deal\s+with)\b"
    r"|\bstays?\s+(?:that\s+way|aligned|fixed|healed|pain[- ]free|corrected)\b"
    r"|\b(?:a\s+)?(?:distant|faint|bad|vague)\s+memory\b"
    r"|\b(?:surgery|an?\s+operation|(?:joint|knee|hip|disc)\s+replacement|medications?|pain\s+pills?|"
    r"painkillers)\s+(?:becomes?|will\s+(?:\w+\s+)?be)\s+(?:\w+\s+)?(?:unnecessary|obsolete|a\s+thing\s+of)\b"
    r"|\blast(?:s|ing)?\s+(?:for\s+)?(?:years|a\s+lifetime|forever|for\s+life)\b",
    re.IGNORECASE,
)
_GUARANTEE = Scanner(
    r"\bguarantee(?:s|d)?\b"
    r"|\b(?:clinically\s+|scientifically\s+|medically\s+)?proven\b"
    r"|\balways\s+(?:works?|effective|successful|succeeds?|helps?|relieves?|heals?|provides?|gives?|"
    r"brings?|delivers?|results?\s+in|leads?\s+to)\b"
    r"|\bnever\s+(?:fails?|misses|goes\s+wrong|disappoints)\b"
    r"|\bno\s+(?:one|patient|client)\s+(?:walks|leaves|goes\s+home|is\s+left|remains)\b"
    r"|\b(?:relief|results?|success|improvement|recovery|healing)\s+(?:is|are)\s+(?:\w+\s+)?(?:certain|"
    r"assured|a\s+certainty|inevitable|a\s+given)\b|\bwithout\s+fail\b|\bcan(?:[’']?t|not)\s+fail\b|\b(?:simply|just)\s+works\b|\b100\s?%|\b(?:100|one\s+hundred)\s+per\s?cent\b"
    r"|\b(?:everyone|everybody|every\s+(?:single\s+)?patient|all\s+(?:of\s+)?(?:our\s+)?patients)\b"
    r"[^.;:!?]{0,40}?\b(?:better|relief|results|improve\w*|recover\w*|benefit\w*|pain[- ]free|"
    r"without\s+(?:any\s+)?pain)\b"
    r"|\b(?:tremendous|dramatic|amazing|incredible|remarkable|profound|enormous|huge)\s+"
    r"(?:pain\s+)?(?:relief|improvement|results)\b"
    r"|\b(?:every|each|all)\s+(?:patients?|persons?|people|ones?)\s+(?:gets?|feels?|improves?|"
    r"recovers?|benefits?|sees?|heals?|responds?)\b"
    r"|\b(?:everyone|everybody)\s+(?:gets|feels|improves|recovers|benefits|responds|heals)\b"
    r"|\bworks\s+(?:every\s+time|for\s+everyone|for\s+everybody|in\s+every\s+case)\b"
    r"|\b(?:works?|succeeds?|helps?)\b[^.;:!?]{0,30}\bevery\s+(?:single\s+)?time\b"
    r"|\bthe\s+first\s+time,?\s+every\s+time\b"
    r"|\b(?:restores?|relieves?|fix(?:es)?|delivers?|gets?|heals?|corrects?|aligns?|resolves?)\b"
    r"[^.;:!?]{0,40}\bevery\s+(?:single\s+)?time\b"
    r"|\bthe\s+(?:one|only)\s+(?:[\w-]+\s+)?(?:treatment|therapy|solution|option|procedure|thing|method)\s+"
    r"that\s+(?:truly\s+|really\s+|actually\s+)?works\b"
    r"|\bwill\s+(?:definitely\s+|surely\s+|certainly\s+)?work\s+for\s+(?:you|everyone|everybody)\b"
    r"|\b(?:effective|works|helps|successful)\s+(?:for|with|in|on)\s+(?:everyone|everybody|all\s+patients|"
    r"every\s+(?:patient|person|case))\b"
    r"|\b(?:relief|results?|improvement)\s+(?:[\w’'-]+\s+){0,2}?for\s+(?:every|each)\s+"
    r"(?:patient|person|one)\b"
    r"|\b(?:100\s?%|one\s+hundred\s+percent)\s+(?:effective|successful|success|of\s+"
    r"(?:patients|people)|results?|satisfaction)\b"
    r"|\bensur(?:e|es|ing)\s+(?:that\s+)?(?:[\w’'-]+\s+){0,4}?(?:relief|results?|healing|"
    r"recovery|success|heals?|recovers?|works|improves?)\b"
    r"|\bwill\s+(?:\w+\s+)?(?:relieve|eliminate|heal|cure|fix|end|restore)\s"
    r"|\bwill\s+(?:\w+\s+)?stop\s+(?:your\s+|the\s+)?pain\b"
    r"|\btrust\s+that\s+(?:[\w’'-]+\s+){0,4}?will\s+(?:work|help|heal)\b"
    r"|\b(?:this|the|our)\s+(?:treatment|therapy|procedure|injection|method)\s+will\s+(?:definitely\s+|certainly\s+)?"
    r"work\b"
    # A result promised to the reader: "you will feel the difference", "you'll see results".
    r"|\b(?:you|patients|clients)(?:\s+will|[’']ll)\s+(?:\w+\s+)?(?:feel|see|notice|experience|enjoy|"
    r"get|have)\s+(?:the\s+|a\s+|an\s+|real\s+|)(?:[\w-]+\s+)?(?:difference|results?|relief|"
    r"improvement|change)\b"
    r"|\bone[- ]and[- ]done\b"
    r"|\b(?:only|just)\s+(?:one|a\s+single)\s+(?:treatment|session|injection|visit|shot)\s+(?:is\s+)?"
    r"(?:needed|required|necessary)\b"
    r"|\bworks?\s+(?:for|on|with|in)\s+(?:any|all|every)\s+(?:age|ages|condition|conditions|type|"
    r"kind|body|patient|person)\b",
    re.IGNORECASE,
)
_INSTANT = Scanner(
    r"\b(?:relief|results?|effects?|improvement|benefits?|recovery|healing)\s+(?:is|are|will\s+be)\s+"
    r"(?:\w+\s+(?:and\s+)?)?(?:immediate|instant|instantaneous)\b|"
    # Recovery promised as no time at all: "no recovery time" ("no downtime" is PriceOffer's).
    r"\b(?:no|zero)\s+(?:\w+\s+)?recovery(?:\s+(?:time|period))?\b|"
    r"\b(?:return|get\s+back|go\s+back|head\s+back)\s+to\s+(?:work|your\s+(?:normal\s+|daily\s+|"
    r"regular\s+|busy\s+)?(?:routine|life|activities|day)|normal\s+(?:life|activities)|the\s+"
    r"(?:office|gym|golf\s+course))\s+(?:the\s+same\s+(?:day|afternoon|evening)|right\s+away|"
    r"immediately|straight\s+away|within\s+hours|that\s+(?:same\s+)?(?:day|afternoon))\b|"
    # Back to normal at once: "back on the course the very next day", "in no time".
    r"\bback\s+(?:on|to|at|in)\s+(?:[\w-]+\s+){1,3}?(?:the\s+)?(?:very\s+next|same)\s+(?:day|morning|"
    r"afternoon)\b|\bin\s+no\s+time\b|"
    r"\b(?:results?|relief|improvement|difference|better)\b[^.;:!?]{0,30}?\bfrom\s+(?:day\s+one|the\s+"
    r"(?:very\s+)?(?:first\s+day|start|get[- ]go|first\s+visit))\b|"
    r"\byou(?:[’']ll|\s+will)\s+(?:walk|leave|go\s+home)\s+(?:out\s+)?(?:[\w-]+\s+){0,3}?(?:feeling\s+)?"
    r"(?:better|pain[- ]free|relieved|like\s+new|a\s+new\s+person)\b|"
    r"\b(?:walk|walking|run|play|move|exercise)\s+(?:normally|freely|pain[- ]free|without\s+pain)\s+"
    r"(?:again\s+)?(?:the\s+same\s+day|right\s+away|immediately|that\s+(?:same\s+)?day|by\s+the\s+next\s+day)\b|"
    # Results promised from the first visit: "you'll feel better after your first session".
    r"\b(?:relief|results?|difference|improvement|better|pain[- ]free|cured|healed|gone)\b[^.;:!?]{0,30}?\b(?:after|from|with|"
    r"following)\s+(?:your|the|just\s+one|one|a\s+single)\s+(?:very\s+)?(?:first\s+)?(?:visit|"
    r"session|treatment|injection|appointment|adjustment)\b|"
    r"\b(?:immediate|instant|instantaneous|rapid|quick|fast|faster|quicker|overnight),?\s+"
    r"(?:[\w-]+,?\s+(?:and\s+)?){0,2}?(?:pain\s+)?(?:relief|results|recovery|healing|improvement)\b"
    r"|\binstant(?:ly|aneous(?:ly)?)?\b"
    r"|\b(?:relief|results|improvement)\s+(?:\w+\s+){0,2}?(?:immediately|instantly|right\s+away|"
    r"overnight|within\s+(?:minutes|hours|days|a\s+day|24\s+hours))\b"
    r"|\b(?:improvement|relief|better)\s+(?:directly|immediately|right)\s+after\b"
    r"|\bworks?\s+(?:instantly|immediately|right\s+away|overnight|in\s+minutes)\b"
    r"|\bfeel(?:s|ing)?\s+(?:much\s+|a\s+lot\s+)?better\s+(?:right\s+away|immediately|"
    r"instantly|overnight|straight\s+away|at\s+once)\b",
    re.IGNORECASE,
)


# Words that promise a treatment result even after "most people": "most are cured".
_PROMISE_WORDS = re.compile(r"cur(?:e|es|ed|ing)|eliminat|eradicat|permanent|forever|for\s+good",
                            re.IGNORECASE)


# A sentence that opens by calling what follows an idea or an aim: "The idea is that
# the injection repairs the ligament" describes a theory, not a promise.
_THEORY = re.compile(r"^\W*(?:the\s+(?:idea|theory|hope|aim|goal|thinking|hypothesis)\s+is|in\s+theory|"
                     r"it\s+is\s+(?:thought|believed|hoped|assumed)|the\s+(?:treatment|injection|procedure|"
                     r"therapy)\s+is\s+(?:meant|designed|intended|supposed)\s+to)\b", re.IGNORECASE)


def _absolute(pattern: Scanner, *, about_harms: bool = False,
              quantifier_before: bool = False, **fields: str) -> Check:
    """A Check that flags ``pattern`` in sentences that do not qualify or cite it."""

    def run(doc, ctx: Context) -> Iterator:
        index = doc_index(ctx, doc)
        sentences, texts = index.sentences, index.texts
        for i, alternatives in pattern.scan(index):  # the sentences that may match
            sentence = sentences[i]
            block = sentence.block
            if block.attributed or block.kind == "heading":
                continue
            text = texts[i]
            matches = list(pattern.finditer_alternatives(text, alternatives))
            if not matches or cited(sentence) or _THEORY.match(text):
                continue
            for m in matches:
                where = surroundings(text, m.start(), m.end(), quantifiers_hedge=about_harms)
                if not where.qualified and not (quantifier_before
                                                and not _PROMISE_WORDS.search(m.group(0))
                                                and quantified_before(text, m.start())):
                    yield check.alert(sentence, m.start(), m.end())

    check = Check(family="absolute", level="error", run=run, **fields)
    return check


SAFETY_CLAIM = _absolute(
    _SAFETY,
    about_harms=True,
    id="Handbook.SafetyClaim",
    message="'%s' promises safety. Say how often harms happen and how serious they are, "
            "with a citation, or hedge it ('most people have no serious problems').",
    link=_FTC,
    what="Flags unqualified safety promises such as \"safe\", \"risk-free\", \"harmless\" "
         "or \"no side effects\".",
    why="Every procedure has risks. A flat promise of safety hides them; patients need "
        "to know what can go wrong and how often to weigh a treatment.",
    standard="FTC Health Products Compliance Guidance (2022); DISCERN question 11 (risks)",
    bad="IOT is a simple, safe procedure with no side effects.",
    good="No treatment is completely safe: the needle can cause bruising, and in rare "
         "cases infection.",
)
PAINLESS_CLAIM = _absolute(
    _PAINLESS,
    about_harms=True,
    id="Handbook.PainlessClaim",
    message="'%s' promises no pain. Say what people usually feel during and after the "
            "procedure, and for how long.",
    link=_NHS,
    what="Flags promises that a procedure is painless or pain-free.",
    why="Needles and injections into bone or joints often hurt for a while. Promising "
        "no pain sets false expectations and hides a real downside.",
    standard="NHS content guide, \"How we write\" (accurate, factual, neutral); DISCERN question 11",
    bad="The injection is quick and nearly painless.",
    good="Most people feel pressure and some pain during the injection, and soreness for "
         "a few days.",
)
CURE_CLAIM = _absolute(
    _CURE,
    quantifier_before=True,  # "Most people make a full recovery" describes, not promises
    id="Handbook.CureClaim",
    message="'%s' promises a cure or a permanent result. Say what share of people improved, "
            "by how much and for how long, with a citation.",
    link=_FTC,
    what="Flags promises of a cure or a complete, permanent result: \"cures\", "
         "\"eliminates pain\", \"heals completely\", \"permanent relief\", \"regrows "
         "cartilage\".",
    why="Chronic back pain treatments help some people some of the time. A promised cure "
        "is almost never true and leads people to pay for, or wait on, the wrong thing.",
    standard="FTC Health Products Compliance Guidance (2022); DISCERN question 10 (benefits)",
    bad="The injections heal the damaged disc completely and eliminate your pain.",
    good="In one small study, some people had less pain after a year, but none of the "
         "studies showed that the disc healed.",
)
GUARANTEE_CLAIM = _absolute(
    _GUARANTEE,
    id="Handbook.GuaranteeClaim",
    message="'%s' claims certainty. Say what the studies found and how sure we can be, "
            "with a citation.",
    link=_FTC,
    what="Flags certainty about results: \"guaranteed\", \"proven\", \"always works\", "
         "\"never fails\", \"100% effective\", \"ensures relief\".",
    why="No treatment works for everyone. Claims of certainty hide how uncertain the "
        "evidence is, which DISCERN asks every leaflet to say.",
    standard="FTC Health Products Compliance Guidance (2022); DISCERN question 8 (uncertainty)",
    bad="Prolotherapy is a proven treatment that always works.",
    good="Trials of prolotherapy for back pain had mixed results, so we cannot be sure it helps.",
)
INSTANT_RELIEF = _absolute(
    _INSTANT,
    id="Handbook.InstantRelief",
    message="'%s' promises fast results. Say when people in studies noticed a change, "
            "and how many did, with a citation.",
    link=_DISCERN,
    what="Flags promises of immediate, instant or rapid relief.",
    why="Promised speed sets an expectation most people will not meet, and hides that "
        "some treatments need several sessions or do not help at all.",
    standard="DISCERN question 10 (benefits); FTC Health Products Compliance Guidance (2022)",
    bad="Patients feel immediate pain relief after the first session.",
    good="In the trials, any change in pain was measured after three to six months.",
)

__register__ = (SAFETY_CLAIM, PAINLESS_CLAIM, CURE_CLAIM, GUARANTEE_CLAIM, INSTANT_RELIEF)
