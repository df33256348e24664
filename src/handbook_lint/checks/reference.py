"""Reference family: claims without a source, and sources that cannot be used.

A sentence that gives a number about people, says what research shows, or says a
treatment works needs a citation role (``{cite:p}``, ``{footcite:p}``...) in the
sentence, or, for a list item, in the paragraph that introduces the list. The
bibliography (setting ``bibliography``, default ``docs/references.bib``) is parsed
here, with line numbers, so unknown keys, entries nobody can look up, and entries
nobody cites point to the right line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .base import Check, Context, ProjectCheck
from ._context import cited, in_quotes, negated_before, surroundings
from ._prefilter import Scanner, doc_index

_DISCERN = "http://www.discern.org.uk/general_instructions.php"
_FTC = "https://www.ftc.gov/business-guidance/resources/health-products-compliance-guidance"
_PEMAT = "https://www.ahrq.gov/health-literacy/patient-education/pemat.html"

_NUM = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)"
_BIG = r"(?:\d[\d,.]*|one|two|three|four|five|ten|a|several|many)\s+(?:million|billion|thousand)"
_PEOPLE = (r"(?:people|patients|adults|participants|americans|men|women|children|cases|"
           r"individuals|sufferers|users|volunteers|subjects)")
_STATISTIC = Scanner(
    r"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per\s+cent\b)"
    r"|\b(?:ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|one\s+hundred)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\s+per\s?cent\b"
    rf"|\b{_NUM}\s+(?:in|out\s+of|of\s+every)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"every|a\s+hundred|a\s+thousand)\b"
    r"|\b(?:half|a\s+third|one[- ]third|two[- ]thirds|a\s+quarter|one[- ]quarter|"
    r"three[- ]quarters|the\s+majority|a\s+majority|most|nearly\s+all|almost\s+all)\s+of\s+"
    rf"(?:all\s+)?(?:the\s+|these\s+|those\s+|our\s+|their\s+)?{_PEOPLE}\b"
    rf"|\b\d[\d,.]*\+?\s+(?:million\s+|thousand\s+|billion\s+)?(?:[a-z-]+\s+)?{_PEOPLE}\b"
    rf"|\b(?:millions|thousands|hundreds|tens\s+of\s+thousands|hundreds\s+of\s+thousands)\s+of\s+"
    rf"(?:{_PEOPLE}|studies|procedures|treatments|injections|operations|surgeries)\b"
    r"|\b(?:\d+(?:\.\d+)?|two|three|four|five|ten)\s*(?:times|x|-fold)\s+(?:more|less|higher|"
    r"lower|greater|as|faster|quicker|better|slower|longer|sooner)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+times\s+(?:the|as\s+many|as\s+much|more|higher|"
    r"greater|normal)\b"
    r"|\b(?:half|a\s+third|one[- ]third|two[- ]thirds|a\s+quarter)\s+of\s+(?:all\s+)?(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:surgeries|operations|procedures|injections)\b"
    r"|\b\d+\s?x\s+(?:fold|more|stronger|faster|better|improvement|increase|reduction|greater|"
    r"higher|lower|less|as)\b|\b\d+[- ]?fold\b"
    r"|\b(?:twice|half|three\s+times|double)\s+as\s+(?:likely|much|many|effective|fast|long|"
    r"often|good|well|successful|quickly|high|strong)\b"
    r"|\b(?:the\s+)?(?:national|industry|state|regional)\s+average\b"
    r"|\b(?:billions|trillions)\b"
    r"|\b(?:most|many|the\s+average|typical(?:ly)?)\s+(?:[\w-]+\s+){0,3}?need\s+(?:only\s+|just\s+)?"
    r"(?:between\s+)?(?:\d+|one|two|three|four|five|six|a\s+few|several)\s+(?:(?:to|and|or)\s+"
    r"(?:\d+|two|three|four|five|six|eight|ten)\s+)?(?:sessions|treatments|injections|visits|"
    r"appointments|shots|adjustments)\b"
    r"|\b(?:doubles?|doubled|triples?|tripled|halves|halved)\s+(?:the\s+|your\s+)?(?:chance|"
    r"chances|risk|odds|rate|speed)\b"
    rf"|\b(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?{_BIG}\s+(?:[\w-]+\s+)?(?:{_PEOPLE}|"
    r"procedures|treatments|injections|operations|visits)\b"
    r"|\$\s?\d[\d,.]*\s*(?:million|billion|trillion)\b"
    r"|\b(?:billions|millions|trillions)\s+of\s+(?:dollars|pounds|euros)\b"
    r"|\ban\s+estimated\s+(?:\d|one|two|three|four|five|half)|\bit\s+is\s+estimated\s+that\b"
    r"|\b(?:the|a)\s+(?:leading|top|number\s+one|biggest|largest)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:causes?|costs?|reasons?)\b"
    r"|\b(?:the|a)\s+(?:vast\s+)?majority\s+of\b"
    r"|\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+"
    r"(?:most|largest|leading|biggest|highest)\b"
    r"|\b(?:over|more\s+than|nearly|almost)\s+\d[\d,]*\s+(?:procedures|treatments|injections|"
    r"surgeries|operations|sessions)\b"
    r"|\bin\s+(?:almost|nearly|virtually)\s+(?:all|every)\s+cases?\b"
    r"|\b(?:nearly|almost|virtually)\s+(?:everyone|everybody|all\s+(?:of\s+)?(?:our\s+)?"
    r"(?:patients|people|clients))\b"
    r"|\bsuccess\s+rates?\b"
    r"|\b(?:far|much|significantly|considerably|substantially|a\s+lot)\s+(?:less|more)\s+likely\b"
    r"|\b(?:who|that)\s+(?:receive|received|get|got|have|had|undergo|underwent|try|tried|choose|chose)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:are|were)\s+(?:\w+\s+)?(?:less|more)\s+likely\b"
    r"|\b(?:it\s+)?has\s+been\s+estimated\b|\bestimates\s+(?:suggest|show|indicate)\b"
    r"|\b\d[\d,.]*\s+(?:million|billion|trillion)\s+(?:dollars|pounds|euros)\b"
    r"|\bthan\s+any\s+other\s+(?:condition|disease|illness|cause|treatment|injury|health\s+problem)\b"
    # An average presented as a result: "the average patient needs three sessions",
    # "an average pain reduction of six points", "on average, patients improve".
    r"|\b(?:the|an?)\s+(?:average|typical)\s+(?:patient|person|client|case)s?\b"
    r"|\b(?:the\s+)?average\s+(?:recovery|healing|treatment|waiting)\s+(?:time|period)\b"
    r"|\b(?:an?\s+)?average\s+(?:[\w-]+\s+){0,2}?(?:reduction|improvement|drop|decrease|increase|gain|"
    r"change|relief)\s+of\b"
    r"|\bon\s+average,?\s+(?:our\s+)?(?:patients|people|clients)\b"
    r"|\b(?:gain|gains|gained|regain\w*|improv\w*|increas\w*|lose|loses|lost|drop\w*|reduc\w*)\s+(?:back\s+)?"
    r"(?:an?\s+(?:average\s+of\s+)?)?(?:up\s+to\s+|about\s+|over\s+|nearly\s+)?\d+\s+(?:degrees|points)\b"
    r"|\b(?:reduc|improv|increas|decreas|lower|rais|cut)\w*\s+(?:[\w’']+\s+){0,4}?by\s+"
    r"(?:up\s+to\s+|about\s+|nearly\s+|over\s+|more\s+than\s+)?(?:\d|half|a\s+third|a\s+quarter)",
    re.IGNORECASE,
)
# A percentage that is a strength of a solution ("15% dextrose") is not a statistic.
_STRENGTH_AFTER = re.compile(
    r"^\s*(?:to\s+\d+(?:[.,]\d+)?\s?%\s*)?(?:dextrose|glucose|lidocaine|lignocaine|saline|"
    r"solution|sugar|phenol|glycerin|alcohol|sodium|strength|concentration)",
    re.IGNORECASE,
)
# Words between "studies" and "show": not a pronoun (a relative clause: "the trials it
# found") and not a negation ("studies did not show", "too small to show").
_GAP = (r"(?:(?!(?:it|they|we|you|that|which|this|who|not|never|too|failed|fail|"
        r"cannot|can't|didn't|don't|doesn't|haven't|hasn't)\b)[\w’']+\s+)")
_RESEARCH = Scanner(
    r"\b(?:stud(?:y|ies)|research|evidence|trials?|data|science|reviews?|findings|statistics|"
    r"numbers|figures|results|experience|literature|surveys?|polls?|reports?|analys[ie]s|"
    r"papers|articles|publications|"
    r"meta-analys[ie]s)\s+"
    rf"{_GAP}{{0,6}}?(?:show|shows|showed|shown|prove|proves|proved|confirm|confirms|"
    r"confirmed|demonstrate|demonstrates|demonstrated|suggest|suggests|suggested|indicate|"
    r"indicates|indicated|support|supports|supported|found|finds|reveal|reveals|revealed|"
    r"link|links|linked|point\s+to|points\s+to|proven|backs|backed|showing|demonstrating|"
    r"(?:report|reports|reported)\s+(?:that|relief|improvements?|benefits?|success|less\s+pain|good\s+results)|"
    r"documented|documents|"
    r"proving|confirming|supporting|suggesting)\b"
    r"|\baccording\s+to\s+(?:the\s+|recent\s+|new\s+|current\s+)?(?:research|studies|"
    r"experts|scientists|the\s+evidence|evidence|data)\b"
    r"|\b(?:documenting|showing|proving|confirming|demonstrating)\s+(?:[\w-]+[’']s\s+|its\s+|the\s+)?"
    r"(?:effectiveness|efficacy|benefits|success)\b"
    r"|\b(?:to|with)\s+great\s+effect\b"
    r"|\b(?:the\s+)?(?:data|results|numbers|science|evidence|statistics|outcomes)\s+speaks?\s+for\s+"
    r"(?:itself|themselves)\b"
    r"|\b(?:the\s+)?(?:research|evidence|science|data)\s+is\s+(?:clear|conclusive|overwhelming|"
    r"undeniable|in)\b"
    r"|\bbeen\s+proven\s+to\b"
    r"|\b(?:mounting|growing|increasing|overwhelming|compelling)\s+(?:body\s+of\s+)?evidence\b"
    r"|\b(?:proven|excellent|strong|great|outstanding|impressive|long|solid)\s+track\s+record\b|"
    r"\b(?:studies|trials|research|data|evidence)\s+(?:strongly\s+|clearly\s+)?back(?:s|ed)?\s+(?:the|this|its|"
    r"up|our)\b|\bpeer[- ]reviewed\s+(?:studies|research|trials|evidence|data)\b|\btrack\s+record\s+of\s+success\b"
    r"|\b(?:backed|supported|proven|confirmed|validated)\s+by\s+(?:[\w’'-]+\s+){0,5}?"
    r"(?:studies|research|evidence|trials|science|data)\b"
    r"|\b(?:there\s+is|there\s+are|with)\s+(?:strong|growing|mounting|good|solid|extensive|"
    r"a\s+lot\s+of|lots\s+of|plenty\s+of|numerous|overwhelming|clear)\s+(?:\w+\s+)?"
    r"(?:studies|research|evidence|trials|support)\b"
    r"|\b(?:clinically|scientifically|medically)\s+(?:shown|tested|studied|demonstrated|proven)\b"
    r"|\b(?:one\s+of\s+)?the\s+most\s+(?:effective|promising|successful)\s+(?:[\w-]+\s+)?(?:treatments?|therap(?:y|ies)|"
    r"options?|ways?|procedures?)\b"
    r"|\b(?:has|have)\s+been\s+(?:shown|found|demonstrated)\s+to\b"
    r"|\b(?:is|are)\s+(?:highly\s+|very\s+|particularly\s+|especially\s+|extremely\s+)?"
    r"(?:effective|successful|beneficial|efficacious)\s+(?:for|in|at|against|as)\b"
    r"|\b(?:an?\s+)?(?:highly\s+|very\s+)?effective\s+(?:treatment|therapy|option|way|"
    r"solution|method|approach)\s+(?:for|to)\b"
    r"|\bworks\s+(?:well\s+)?for\s+(?:most|many|nearly\s+all|the\s+majority\s+of)\s+"
    r"(?:people|patients)\b"
    r"|\bhelps?\s+(?:most|many|the\s+majority\s+of|nearly\s+all)\s+(?:people|patients)\b"
    r"|\b(?:works|succeeds|helps|is\s+successful|is\s+effective)\s+in\s+(?:most|many|the\s+majority\s+of|"
    r"nearly\s+all|almost\s+all)\s+(?:cases|patients|people)\b"
    r"|\bpatients\s+(?:typically|usually|often|generally|normally|commonly)\s+(?:experience|report|"
    r"feel|get|see|notice)\s+(?:\w+\s+){0,2}?(?:relief|improvement|results|benefits?)\b"
    r"|\b(?:many|most|numerous)\s+(?:[\w’']+\s+){0,6}?(?:experience|report|feel|find|get|notice|"
    r"see|enjoy|have)\s+(?:\w+\s+){0,2}?(?:relief|improvement|benefits?|results|"
    r"(?:less|reduced|lower|fewer|decreased)\s+(?:pain|stiffness|swelling|symptoms|discomfort|"
    r"flare-ups)|(?:a\s+)?(?:big\s+|real\s+|noticeable\s+)?difference)\b"
    r"|\b(?:high|excellent|great|impressive|remarkable)\s+success\b"
    r"|\b(?:highly|very|extremely|remarkably|incredibly|proven)\s+effective\b"
    r"|\b(?:really|actually|truly|definitely)\s+works?\b"
    r"|\bprov(?:ing|es|en)\s+(?:to\s+be\s+)?(?:beneficial|effective|successful|helpful)\b"
    r"|\bwe\s+(?:commonly|often|routinely|regularly|frequently|usually|always)\s+see\s+"
    r"(?:\w+\s+)?(?:improvement|results|patients|relief|healing|benefits?)\b"
    r"|\b(?:bring|brings|give|gives|provide|provides|offer|offers|deliver|delivers)\s+(?:our\s+)?"
    r"(?:patients|people|clients|you)\s+(?:[\w-]+\s+)?(?:relief|results|benefits?)\b"
    r"|\b(?:many|most|countless|numerous|thousands\s+of|hundreds\s+of)\s+(?:people|patients)\s+"
    r"have\s+(?:been\s+able\s+to|found|seen|experienced|avoided|benefited|benefitted|reported)\b"
    r"|\bmost\s+(?:researched|studied|tested|widely\s+used|widely\s+studied|popular|requested)\b"
    r"|\b(?:most|many|the\s+majority\s+of|nearly\s+all|almost\s+all)\s+(?:of\s+(?:our|the)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:patients|clients)\s+(?:never\s+need|avoid|improve|recover|get|feel|report|see|"
    r"experience|return|respond|benefit|are\s+able|can)\b"
    r"|\b(?:science|research|clinically|evidence|scientifically|data)[- ]backed\b"
    r"|\b(?:fewer|less|more|lower|higher)\s+(?:[\w-]+\s+){1,3}?(?:and\s+(?:fewer|less|more)\s+(?:[\w-]+\s+){0,2}?)?"
    r"than\s+(?:patients|people|those|others|the\s+patients)\b"
    r"|\bstudy\s+after\s+study\b|\btrial\s+after\s+trial\b"
    r"|\bas\s+(?:effective|good|successful|helpful)\s+as\s+(?:surgery|medication|drugs|steroids?|"
    r"injections|opioids|painkillers|physical\s+therapy|cortisone|an?\s+operation)\b"
    r"|\bin\s+(?:clinical\s+|recent\s+|published\s+)?(?:studies|trials),?\s+(?:patients|people|participants)\s+"
    r"(?:\w+\s+)?(?:improved|reported|saw|experienced|had|got|felt)\b"
    r"|\b(?:research|studies|trials|data)\s+(?:from|at|by)\s+(?:[\w’'-]+\s+){0,3}?(?:university|universities|"
    r"institute|college|clinic|hospital|school)\b"
    r"|\b(?:has|have)\s+been\s+(?:repeatedly\s+|consistently\s+)?(?:shown|demonstrated|proven)\b"
    r"|^(?:our\s+)?(?:patients|clients)\s+(?:\w+\s+)?(?:report|experience|notice|see|enjoy)\s+(?:an?\s+|"
    r"significant\s+|dramatic\s+|real\s+)?(?:improvements?|relief|benefits?|results|reductions?)\b"
    r"|\b(?:more|less)\s+effective\s+than\b"
    r"|\b(?:better|safer|faster|superior|stronger)\s+than\s+(?:medications?|drugs|pills|surgery|steroids?|"
    r"cortisone|physical\s+therapy|injections|painkillers|opioids|placebo)\b"
    r"|\bhelped\s+(?:countless|thousands\s+of|hundreds\s+of|many|so\s+many|numerous|millions\s+of)\s+"
    r"(?:[\w-]+\s+)?(?:patients|people|clients)\s+(?:to\s+)?(?:avoid|get|return|find|regain|recover|"
    r"live|walk|move|feel)\b"
    r"|\bpublished\s+in\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?(?:journals?|JAMA|Lancet|BMJ|NEJM)\b"
    r"|\baccording\s+to\s+(?:the\s+)?(?:(?-i:[A-Z]{2,5})\b|a\s+(?:recent\s+|new\s+|large\s+)?"
    r"(?:study|report|survey|review|trial))"
    r"|\ba\s+(?:growing|large|increasing)\s+(?:number|body)\s+of\s+(?:\w+\s+)?(?:studies|"
    r"research|evidence|trials)\b"
    r"|\b(?:is|are)\s+(?:well\s+)?known\s+to\s+(?:reduce|improve|relieve|help|heal|work|speed|"
    r"promote|stimulate|strengthen|repair|prevent|lower|increase|ease|boost)\b"
    r"|\b(?:many|most|several|numerous|some|leading)\s+(?:[\w-]+\s+){0,2}?(?:specialists|"
    r"doctors|physicians|experts|surgeons|clinicians)\s+(?:now\s+)?(?:suggest|recommend|"
    r"prefer|use)\b"
    r"|\b(?:scientists|researchers|experts|doctors|physicians)\s+(?:have\s+)?(?:shown|"
    r"demonstrated|proven|proved|found|confirmed|discovered)\b"
    r"|\b(?:excellent|outstanding|great|impressive|proven|superior)\s+(?:outcomes|results|"
    r"success\s+rates?)\b",
    re.IGNORECASE,
)
# "what the research shows", "whether studies show": a question about evidence, not a claim.
_INDIRECT = re.compile(r"\b(?:what|whether|how|if|until)\s+(?:the\s+|any\s+|more\s+)?$",
                       re.IGNORECASE)
# A sentence that goes on from a cited one: "So 3 in 10 is...", "This means...".
_ANAPHORA = re.compile(r"^\W*(?:so|this|that|these|those|it|they|in other words|that means|"
                       r"this means|put another way)\b", re.IGNORECASE)


# "According to X, ..." adopts X's claim as fact, so it still needs X cited.
_ADOPTED = re.compile(r"\baccording\s+to\b", re.IGNORECASE)


def _carried(sentence) -> bool:
    """True when the sentence continues the previous, cited sentence of its block."""
    if not _ANAPHORA.match(sentence.text):
        return False
    prev = [s for s in sentence.block.sentences if s.end <= sentence.start]
    return bool(prev and prev[-1].citations)


# A treatment said to work, in the present tense, with no hedge and no source.
_EFFICACY = Scanner(
    r"\b(?:therapy|therapies|treatment|treatments|procedure|injections?|technique|prolotherapy|PRP|"
    r"stem\s+cells?|this|shots?|method|approach|protocol|session|sessions|ablation|decompression|"
    r"adjustments?|manipulation|shockwave|laser|ozone|program|plan|care)\s+(?:also\s+|actually\s+|"
    r"effectively\s+|naturally\s+|directly\s+|quickly\s+|gently\s+)?(?:relieves|eliminates|"
    r"alleviates|shrinks|realigns|rehydrates|decompresses|"
    r"heals|repairs|restores|regenerates|rebuilds|reverses|strengthens|cures|resolves|fixes|"
    r"(?:reduces|lowers|cuts|lessens|decreases)\s+(?:the\s+)?(?:need|pain|use|reliance|dependence)|"
    r"corrects|(?:stimulates|promotes|triggers|speeds\s+up|accelerates|jump-?starts)\s+"
    r"(?:the\s+)?(?:body[’']?s\s+)?(?:natural\s+|tissue\s+|cell\s+|bone\s+)?(?:healing|repair|"
    r"regeneration|recovery|growth))\b"
    r"|\bworks?\s+by\s+(?:triggering|stimulating|promoting|boosting|repairing|regenerating|rebuilding|healing|"
    r"strengthening|restoring|activating)\b"
    r"|\b(?:that|which)\s+helps?\s+(?:to\s+)?(?:rebuild|repair|regenerate|heal|restore|regrow)\b"
    r"|\b(?:growth\s+factors|platelets|stem\s+cells|cells|injections|treatments|shots|adjustments|"
    r"therapies|procedures)(?:\s+(?:in|from|of)\s+(?:the\s+|your\s+)?[\w-]+)?\s+(?:also\s+|actually\s+|"
    r"effectively\s+|naturally\s+|directly\s+|quickly\s+)?"
    r"(?:relieve|eliminate|heal|repair|restore|regenerate|rebuild|reverse|strengthen|cure|resolve|fix|"
    r"(?:reduce|lower|cut|lessen|decrease)\s+(?:the\s+)?(?:need|pain|use|reliance|dependence)|"
    r"correct|(?:speed\s+up|accelerate|stimulate|promote|trigger|jump-?start)\s+"
    r"(?:the\s+)?(?:body[’']?s\s+)?(?:natural\s+|tissue\s+|cell\s+|bone\s+)?(?:healing|repair|"
    r"regeneration|recovery|growth))\b",
    re.IGNORECASE,
)
_HEARSAY = Scanner(
    r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:said|reported|believed|claimed|"
    r"rumou?red|touted|purported)\s+to\b"
    r"|\bwhat[’']?s\s+said\s+to\b"
    r"|\b(?:reportedly|allegedly|purportedly)\b"
    r"|\b(?:some|many|most|several|numerous|leading|top|prominent)\s+(?:doctors|experts|specialists|physicians|"
    r"professionals|practitioners|researchers|scientists|medical\s+professionals|proponents|"
    r"clinicians)\s+(?:now\s+|also\s+)?(?:say|said|believe|believed|claim|claimed|report|reported|"
    r"agree|agreed|think|feel|swear|consider|regard|view)\b"
    r"|\b(?:doctors|experts|specialists|physicians|researchers|scientists)\s+(?:now\s+|generally\s+|"
    r"widely\s+|increasingly\s+|all\s+)?(?:agree|believe|say|recommend|suggest|advise|prefer|estimate|think)\b"
    r"|\bit\s+is\s+(?:widely|generally|commonly)\s+(?:believed|accepted|known|thought|agreed)\b"
    r"|\b(?:doctors|experts|physicians|surgeons|specialists)\s+(?:around|across|all\s+over)\s+the\s+"
    r"(?:world|country|globe|nation)\s+(?:now\s+)?(?:recommend|use|agree|say|believe|prefer)\b"
    r"|\ba\s+(?:growing|large|increasing)\s+number\s+of\s+(?:doctors|physicians|experts|surgeons|"
    r"specialists|clinicians)\b"
    r"|\b(?:widely|generally|commonly|universally)\s+(?:considered|regarded|accepted|recognized|"
    r"recognised|believed|acknowledged)\b"
    r"|\bin\s+(?:our|my)\s+(?:clinical\s+)?experience\b"
    r"|\b(?:proponents|advocates|supporters)(?:\s+of\s+(?:the|this)\s+[\w-]+)?\s+(?:say|claim|"
    r"believe|argue|report)\b"
    r"|\b(?:doctors|experts|scientists|researchers|physicians)\s+have\s+(?:long\s+)?(?:known|"
    r"believed|said|agreed)\b",
    re.IGNORECASE,
)


def _uncited(pattern: Scanner, *, honour_negation: bool, honour_hedges: bool = False,
             **fields: str) -> Check:
    """A Check that flags ``pattern`` in prose sentences with no citation."""

    def run(doc, ctx: Context) -> Iterator:
        index = doc_index(ctx, doc)
        sentences, texts = index.sentences, index.texts
        for i, alternatives in pattern.scan(index):  # the sentences that may match
            sentence = sentences[i]
            block = sentence.block
            if block.attributed or block.kind in ("heading", "glossary.term"):
                continue
            text = texts[i]
            if text.rstrip().endswith("?"):
                continue
            for m in pattern.finditer_alternatives(text, alternatives):
                if pattern is _STATISTIC and _STRENGTH_AFTER.match(text[m.end():]):
                    continue
                if honour_negation and (negated_before(text, m.start())
                                        or _INDIRECT.search(text[: m.start()])):
                    continue
                if in_quotes(text, m.start(), m.end()):
                    continue
                where = surroundings(text, m.start(), m.end())
                if honour_hedges and where.qualified:
                    continue
                # "The page says most patients improve": a named source reports the claim;
                # vague sources ("is said to", "experts say") are HearsayClaim's job.
                if (pattern is not _HEARSAY and where.attributed
                        and not _ADOPTED.search(text[: m.start()])):
                    continue
                if cited(sentence) or _carried(sentence):
                    break
                yield check.alert(sentence, m.start(), m.end())
                break  # one alert per sentence and rule: one citation fixes it

    check = Check(family="reference", level="error", run=run, **fields)
    return check


UNCITED_STATISTIC = _uncited(
    _STATISTIC,
    honour_negation=False,
    id="Handbook.UncitedStatistic",
    message="'%s' is a figure that needs a source: add a citation such as {cite:p}`key` to "
            "this sentence (or to the sentence that introduces the list).",
    link=_DISCERN,
    what="Flags a percentage, a share of people (\"1 in 5\", \"half of patients\"), a count "
         "of people or studies, a success rate or a size of effect with no citation in "
         "the sentence or the list's lead-in.",
    why="Numbers persuade. A reader cannot check a number without its source, and clinic "
        "pages often quote figures that no study supports.",
    standard="DISCERN question 4 (sources of information); FTC Health Products Compliance "
             "Guidance (2022), substantiation",
    bad="80% of people will have back pain at some point.",
    good="Most adults have back pain at some time in their lives {cite:p}`hartvigsen2018`.",
)
UNCITED_RESEARCH = _uncited(
    _RESEARCH,
    honour_negation=True,
    id="Handbook.UncitedResearch",
    message="'%s' is a claim about research or results: cite the study or review "
            "({cite:p}`key`) in this sentence, or remove the claim.",
    link=_DISCERN,
    what="Flags claims about what research shows or how well a treatment works "
         "(\"studies show\", \"evidence suggests\", \"is effective for\", \"many patients "
         "experience relief\") with no citation.",
    why="\"Studies show\" without a study is an appeal to authority the reader cannot "
        "check. DISCERN asks that the sources of every claim be clear.",
    standard="DISCERN question 4 (sources of information); FTC Health Products Compliance "
             "Guidance (2022), \"tests show\" claims",
    bad="Studies show that prolotherapy is effective for chronic back pain.",
    good="A review of five trials found no clear benefit over placebo injections "
         "{cite:p}`dagenais2007`.",
)
UNCITED_EFFICACY = _uncited(
    _EFFICACY,
    honour_negation=True,
    honour_hedges=True,
    id="Handbook.UncitedEfficacy",
    message="'%s' says the treatment works, with no hedge and no source: cite the study "
            "({cite:p}`key`), or say how sure we can be ('may help some people').",
    link=_FTC,
    what="Flags a treatment said to work in the plain present tense (\"the injection heals "
         "ligaments\", \"this therapy relieves pain\", \"PRP stimulates healing\") with no "
         "hedge and no citation.",
    why="Stated as fact, an effect that has not been shown reads as a promise. Either the "
        "claim has a study behind it, which should be cited, or it is a hope, which should "
        "be worded as one.",
    standard="FTC Health Products Compliance Guidance (2022), substantiation; DISCERN question 4",
    bad="This treatment relieves chronic pain and heals damaged ligaments.",
    good="The injection is meant to start a repair process, but trials have not shown that "
         "it heals ligaments {cite:p}`dagenais2007`.",
)
HEARSAY_CLAIM = _uncited(
    _HEARSAY,
    honour_negation=False,
    id="Handbook.HearsayClaim",
    message="'%s' attributes the claim to nobody in particular. Name the source and cite "
            "it, or say plainly that there is no good evidence.",
    link=_DISCERN,
    what="Flags claims put in vague mouths with no citation: \"is said to\", \"is reported "
         "to\", \"some doctors believe\", \"experts agree\", \"it is widely believed\".",
    why="Hearsay sounds like evidence but names none. \"Is said to be safe\" is still a "
        "safety claim; the reader needs to know who said it and on what grounds.",
    standard="DISCERN question 4 (sources of information)",
    bad="Prolotherapy is said to be greatly effective at reducing back pain.",
    good="The clinic's page says prolotherapy works well {cite:p}`reynolds2023`, but "
         "trials have had mixed results {cite:p}`dagenais2007`.",
)


# ----------------------------------------------------------------- bibliography


@dataclass(frozen=True)
class BibEntry:
    key: str
    kind: str
    line: int
    fields: dict[str, str]


_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]+)\s*,")
_FIELD = re.compile(r"\b([A-Za-z_-]+)\s*=\s*")
_LOCATORS = ("doi", "pmid", "url", "pmcid")


_BRACE = re.compile(r"[{}]")
_NESTING = re.compile(r"[{}()]")
_BARE = re.compile(r"[^,}\s]*")


def _field_values(body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while True:
        m = _FIELD.search(body, i)
        if not m:
            return out
        j = m.end()
        if j >= len(body):
            return out
        if body[j] == "{":
            depth, k = 0, len(body)  # to the brace that closes it, or the end
            for b in _BRACE.finditer(body, j):
                if b.group() == "{":
                    depth += 1
                else:
                    depth -= 1
                    if depth == 0:
                        k = b.start()
                        break
            value = body[j + 1 : k]
            i = k + 1
        elif body[j] == '"':
            k = body.find('"', j + 1)
            k = len(body) if k == -1 else k
            value = body[j + 1 : k]
            i = k + 1
        else:
            value = _BARE.match(body, j).group(0)
            i = j + max(len(value), 1)
        out[m.group(1).lower()] = value.strip()


def parse_bib(text: str) -> list[BibEntry]:
    """Entries of a BibTeX file with the line each starts on (@comment/@string skipped)."""
    entries: list[BibEntry] = []
    line, counted = 1, 0  # line number at offset ``counted``
    for m in _ENTRY.finditer(text):
        kind = m.group(1).lower()
        if kind in ("comment", "string", "preamble"):
            continue
        # The body runs to the brace that closes the entry.
        depth, k = 1, len(text)
        for b in _NESTING.finditer(text, m.end()):
            if b.group() in "{(":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    k = b.end()
                    break
        body = text[m.end() : k - 1]
        line += text.count("\n", counted, m.start())
        counted = m.start()
        entries.append(BibEntry(m.group(2), kind, line, _field_values(body)))
    return entries


def _bib_rel(ctx: Context) -> str:
    return str(ctx.setting("bibliography", "docs/references.bib"))


def _bib_display(ctx: Context) -> str:
    """The bibliography path as the user would open it (relative to cwd when possible)."""
    p = ctx.resolve(_bib_rel(ctx))
    try:
        return os.path.relpath(p)
    except ValueError:
        return str(p)


def _bibliography(ctx: Context) -> list[BibEntry] | None:
    def compute():
        text = ctx.read_text(_bib_rel(ctx))
        return None if text is None else parse_bib(text)

    return ctx.memo("reference.bib", compute)


def _at(alert, line: int, col: int, width: int):
    return replace(alert, line=line, span=(col, col + max(width, 1) - 1))


def _run_unknown(doc, ctx: Context) -> Iterator:
    if not doc.citations:
        return
    entries = _bibliography(ctx)
    if entries is None:
        c = doc.citations[0]
        yield _at(UNKNOWN_CITATION.alert(
            doc, message=f"The bibliography {_bib_display(ctx)} was not found: create it, or "
                         "set 'bibliography' in [tool.handbook-lint]."), c.line, c.col,
                  c.end_offset - c.offset)
        return
    known = {e.key for e in entries}
    for c in doc.citations:
        for key in c.keys:
            if key not in known:
                yield _at(UNKNOWN_CITATION.alert(
                    doc, match=key,
                    message=f"Citation key '{key}' is not in {_bib_display(ctx)}: add the "
                            "entry there or fix the key."), c.line, c.col,
                          c.end_offset - c.offset)


UNKNOWN_CITATION = Check(
    id="Handbook.UnknownCitation",
    family="reference",
    level="error",
    message="Citation key '%s' is not in the bibliography: add the entry or fix the key.",
    link=_DISCERN,
    what="Flags a citation role whose key is not in the bibliography file.",
    why="A citation that points nowhere is worse than none: the reader is told there is "
        "a source and cannot find it, and the build prints a broken reference.",
    standard="DISCERN question 4 (sources of information)",
    bad="Most back pain gets better {cite:p}`nosuchkey2020`.",
    good="Most back pain gets better {cite:p}`hartvigsen2018`.",
    run=_run_unknown,
)


def _bib_alert(check, ctx: Context, entry: BibEntry, message: str):
    path = _bib_display(ctx)
    from ..alert import Alert

    return Alert(path=path, line=entry.line, span=(1, len(entry.key) + 1), check=check.id,
                 message=message, severity=check.level, match=entry.key, link=check.link,
                 family=check.family)


def _run_locator(docs: Sequence, ctx: Context) -> Iterator:
    if not any(d.citations for d in docs):
        return
    for entry in _bibliography(ctx) or []:
        if not any(entry.fields.get(f) for f in _LOCATORS):
            yield _bib_alert(REFERENCE_LOCATOR, ctx, entry,
                             f"Reference '{entry.key}' has no DOI, PMID or URL: add one so "
                             "readers can find it.")


REFERENCE_LOCATOR = ProjectCheck(
    id="Handbook.ReferenceLocator",
    family="reference",
    level="error",
    message="Reference '%s' has no DOI, PMID or URL: add one so readers can find it.",
    link=_DISCERN,
    what="Flags a bibliography entry with no doi, pmid or url field.",
    why="A reference the reader cannot look up cannot be checked; a DOI, PubMed id or "
        "web address makes it findable in one step.",
    standard="DISCERN question 4 (sources of information)",
    bad="@article{smith2020, author = {Smith, A.}, title = {A study}, year = {2020}}",
    good="@article{smith2020, author = {Smith, A.}, title = {A study}, year = {2020}, "
         "doi = {10.1000/xyz}}",
    run=_run_locator,
)


def _whole_book(docs: Sequence, ctx: Context) -> bool:
    """True when the run covers the book: it includes the index.md next to the bibliography."""
    index = ctx.resolve(_bib_rel(ctx)).parent / "index.md"
    for d in docs:
        try:
            if Path(d.path).resolve() == index.resolve():
                return True
        except OSError:
            continue
    return False


def _run_unused(docs: Sequence, ctx: Context) -> Iterator:
    if not _whole_book(docs, ctx):
        return
    used = {k for d in docs for c in d.citations for k in c.keys}
    for entry in _bibliography(ctx) or []:
        if entry.key not in used:
            yield _bib_alert(UNUSED_REFERENCE, ctx, entry,
                             f"Reference '{entry.key}' is never cited: cite it or remove it.")


UNUSED_REFERENCE = ProjectCheck(
    id="Handbook.UnusedReference",
    family="reference",
    level="warning",
    message="Reference '%s' is never cited: cite it or remove it.",
    link=_DISCERN,
    what="Flags a bibliography entry that no page cites. Runs only when the whole book is "
         "linted (the run includes the index.md next to the bibliography).",
    why="An uncited entry suggests a claim lost its citation in an edit, or pads the "
        "reference list with sources that support nothing in the text.",
    standard="DISCERN question 4 (sources of information)",
    bad="references.bib holds 'oldstudy2001', and no page has {cite:p}`oldstudy2001`.",
    good="Every entry in references.bib is cited at least once.",
    run=_run_unused,
)

_REFERENCES_TITLE = re.compile(r"^\s*(?:references|bibliography|sources)\s*$", re.IGNORECASE)


def _run_missing_refs(doc, ctx: Context) -> Iterator:
    is_treatment = str(doc.front_matter.get("kind", "")).strip().lower() == "treatment"
    if not (doc.citations or is_treatment):
        return
    if any(_REFERENCES_TITLE.match(s.title) for s in doc.sections):
        return
    c = doc.citations[0] if doc.citations else None
    alert = MISSING_REFERENCES.alert(doc, match="References")
    yield _at(alert, c.line, c.col, c.end_offset - c.offset) if c else _at(
        alert, max(doc.front_matter_line, 1), 1, 3)


MISSING_REFERENCES = Check(
    id="Handbook.MissingReferences",
    family="reference",
    level="error",
    message="This page cites sources but has no 'References' section: add a '## References' "
            "heading with the bibliography under it.",
    link=_DISCERN,
    what="Flags a page that cites sources, or a treatment chapter, without a References "
         "(or Bibliography) section.",
    why="Printed copies have no links: the reader needs the list of sources on the page "
        "itself to follow up a claim.",
    standard="DISCERN question 4 (sources of information); PEMAT-P",
    bad="A chapter with {cite:p}`hartvigsen2018` in the text and no References heading.",
    good="The chapter ends with '## References' and a bibliography directive.",
    run=_run_missing_refs,
)


def _run_claim_evidence(doc, ctx: Context) -> Iterator:
    for claim in doc.claims:
        if any(b.citations for b in claim.body):
            continue
        where = claim.body[0] if claim.body else claim.argument
        if where is None:
            yield _at(CLAIM_EVIDENCE.alert(doc), claim.line, 1, 3)
        else:
            yield CLAIM_EVIDENCE.alert(where, 0, len(where.text))


CLAIM_EVIDENCE = Check(
    id="Handbook.ClaimEvidence",
    family="reference",
    level="error",
    message="This claim box says what the evidence shows without citing it: add "
            "{footcite:p}`key` to its text.",
    link=_DISCERN,
    what="Flags a {claim} box whose body has no citation.",
    why="A claim box judges a source's claim against the evidence; without a citation "
        "the verdict is only our opinion.",
    standard="DISCERN question 4 (sources of information)",
    bad=':::{claim} "It heals the spine."\n:verdict: not supported\nNo study shows this.\n:::',
    good=':::{claim} "It heals the spine."\n:verdict: not supported\nNo study of it was '
         'found; the one review we found is about other injections {cite:p}`key`.\n:::',
    run=_run_claim_evidence,
)

__register__ = (
    UNCITED_STATISTIC,
    UNCITED_RESEARCH,
    UNCITED_EFFICACY,
    HEARSAY_CLAIM,
    UNKNOWN_CITATION,
    REFERENCE_LOCATOR,
    UNUSED_REFERENCE,
    MISSING_REFERENCES,
    CLAIM_EVIDENCE,
)
