"""Write ``patient_comments_generated_illustrative.csv``: illustrative labelled patient comments.

ILLUSTRATIVE DATA, NOT REAL FEEDBACK. Every comment is assembled by this script (seeded) from
hand-written sentence pieces in the style of NHS Friends-and-Family free text: eight themes
(staff attitude, communication, access, waiting time, environment, care quality, food,
discharge and continuity), several themes per comment, a stance (positive, negative, neutral:
mixed praise and criticism or no view), and short generic answers ("Good", "n/a").

To keep it from being trivially easy, as template text usually is:
- each theme has many phrasings per polarity, many of them without the obvious keyword
  ("nobody told us what was going on" is communication), and slots (staff, relatives, places,
  durations) vary the words further;
- pieces with no theme (what the person came in for) surround the themed ones;
- spelling slips, lower case, missing punctuation and run-on sentences are added at random;
- the labels carry coder noise like real coding: a theme the coder missed (12% of themes),
  a confusable theme added (8% of comments: staff attitude/communication, care quality/staff
  attitude, waiting/access, environment/food, discharge/communication) and stance slips (8%).

Run: ``python benchmarks/data/make_patient_comments.py`` (writes the CSV beside this file).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

SEED = 2026
ROWS = 2600
OUT = Path(__file__).resolve().parent / "patient_comments_generated_illustrative.csv"

SLOTS = {
    "staff": [
        "nurse",
        "doctor",
        "receptionist",
        "consultant",
        "physio",
        "midwife",
        "healthcare assistant",
        "paramedic",
        "GP",
        "nurse practitioner",
        "surgeon",
        "registrar",
        "pharmacist",
        "health visitor",
        "porter",
        "sister on the ward",
    ],
    "staffs": [
        "nurses",
        "doctors",
        "staff",
        "receptionists",
        "the team",
        "the night staff",
        "the midwives",
        "the carers",
        "the paramedics",
        "everyone",
        "the physios",
    ],
    "rel": [
        "my mum",
        "my dad",
        "my husband",
        "my wife",
        "my son",
        "my daughter",
        "my nan",
        "my grandad",
        "my partner",
        "my father in law",
        "my little boy",
        "my sister",
    ],
    "place": [
        "the ward",
        "A&E",
        "the clinic",
        "the surgery",
        "outpatients",
        "the unit",
        "the department",
        "maternity",
        "the day unit",
        "the walk in centre",
        "x-ray",
        "the eye clinic",
        "the fracture clinic",
        "children's ward",
    ],
    "short": ["20 minutes", "half an hour", "ten minutes", "a few minutes", "no time at all"],
    "long": [
        "four hours",
        "two and a half hours",
        "over three hours",
        "six hours",
        "most of the day",
        "nearly five hours",
        "an hour and a half past my slot",
    ],
    "weeks": [
        "six weeks",
        "three months",
        "eight weeks",
        "nearly a year",
        "five months",
        "over a fortnight",
        "14 weeks",
    ],
    "reason": [
        "my hip replacement",
        "a scan",
        "blood tests",
        "a broken wrist",
        "chest pains",
        "my diabetes review",
        "a smear test",
        "my baby's jabs",
        "a cataract operation",
        "stitches",
        "a chest infection",
        "my knee",
        "a biopsy",
        "my asthma",
    ],
}

# (theme, polarity) -> phrasings. Polarity: + positive, - negative, 0 neutral.
PIECES: dict[tuple[str, str], list[str]] = {
    ("staff-attitude", "+"): [
        "the {staff} was so kind",
        "{staffs} were lovely",
        "everyone was friendly and polite",
        "{staffs} could not have been nicer",
        "the {staff} treated {rel} with real dignity",
        "really caring {staffs}",
        "the {staff} was patient with me even though I was upset",
        "{staffs} made us feel welcome",
        "nothing was too much trouble for them",
        "the {staff} had a lovely manner",
        "very compassionate {staff}",
        "they were gentle with {rel} who has dementia",
        "{staffs} were polite and respectful",
        "the {staff} went above and beyond",
        "{staffs} had time for a chat and a laugh",
        "a big thank you to the {staff}, an absolute star",
        "made me feel at ease",
        "so warm and reassuring",
        "the {staff} held my hand the whole time",
        "you could tell they genuinely care",
        "helpful and cheerful despite being busy",
    ],
    ("staff-attitude", "-"): [
        "the {staff} was rude",
        "{staffs} were abrupt and unhelpful",
        "the {staff} rolled her eyes at me",
        "made me feel like I was wasting their time",
        "the {staff} was dismissive",
        "{staffs} were chatting among themselves and ignored us",
        "the {staff} was condescending to {rel}",
        "no empathy whatsoever",
        "I was spoken to like a child",
        "the {staff} was short with me when I asked",
        "felt judged by the {staff}",
        "{staffs} seemed fed up and it showed",
        "the attitude of the {staff} was appalling",
        "nobody smiled or said hello",
        "the {staff} laughed when {rel} asked for help",
        "shouted at by the {staff}",
        "very cold and uncaring",
        "treated as a nuisance",
        "the {staff} was on her phone the whole time",
    ],
    ("staff-attitude", "0"): [
        "{staffs} were ok",
        "some {staffs} were nice, some not so much",
        "the {staff} was fine i suppose",
        "mixed bag with the {staffs}",
    ],
    ("communication", "+"): [
        "the {staff} explained everything clearly",
        "kept informed at every stage",
        "they took time to answer all my questions",
        "I understood what was happening",
        "got a text reminder the day before",
        "the {staff} talked me through the procedure",
        "they listened to what I had to say",
        "involved {rel} in every decision",
        "clear leaflet about what to expect",
        "they rang me with the results the same day",
        "explained the risks in plain English",
        "told us exactly how long it would be",
        "was given a proper plan",
        "they actually listened",
        "the {staff} drew a diagram so I understood",
    ],
    ("communication", "-"): [
        "nobody told us what was going on",
        "no one explained anything",
        "I had to chase my results three times",
        "the letter arrived after the appointment",
        "conflicting information from different {staff}s",
        "the {staff} didn't listen",
        "nobody rang back like they promised",
        "we were left in the dark",
        "I still don't know what the tablets are for",
        "the {staff} used jargon I didn't follow",
        "they talked over me to {rel}",
        "no one asked what I wanted",
        "found out about the cancellation when I turned up",
        "the phone message was wrong",
        "kept looking at the screen instead of me",
        "had to repeat my history five times",
        "information was not passed on to the GP",
        "results went missing and no one knew",
        "nobody asked {rel} what she thought",
    ],
    ("communication", "0"): [
        "they could explain things a bit better",
        "a leaflet would have helped",
        "would be nice to know how long the wait is",
    ],
    ("access", "+"): [
        "easy to book online",
        "got an appointment the same week",
        "the home visit meant I didn't have to travel",
        "handy for the bus",
        "plenty of parking",
        "open late so I could go after work",
        "phone was answered straight away",
        "the online booking is brilliant",
        "close to home",
        "the video call saved me a trip",
        "good wheelchair access",
        "same day appointment for my little boy",
        "the walk in centre was very handy",
    ],
    ("access", "-"): [
        "impossible to get through on the phone",
        "you can never get an appointment",
        "parking is a nightmare",
        "the car park was full and I nearly missed my slot",
        "no bus goes there",
        "it rings out at 8am and then there's nothing left",
        "had to travel 30 miles",
        "the clinic has moved miles away",
        "no wheelchair access at the front",
        "can only book by phone and I'm deaf",
        "the lift was broken so I couldn't get upstairs",
        "parking charges are extortionate",
        "the online system never has any slots",
        "told to ring back tomorrow every day",
        "couldn't get a home visit for {rel}",
        "they only offer appointments when I'm at work",
    ],
    ("access", "0"): [
        "parking is what you'd expect",
        "booking was ok once I got through",
    ],
    ("waiting-time", "+"): [
        "seen on time",
        "in and out in {short}",
        "hardly any wait",
        "really quick service",
        "seen within {short}",
        "the referral came through quickly",
        "no waiting around",
        "they saw me straight away",
        "results came back quickly",
        "surprised how fast it was",
    ],
    ("waiting-time", "-"): [
        "waited {long}",
        "sat in {place} for {long}",
        "still waiting after {weeks}",
        "{weeks} for a referral is far too long",
        "waited {long} for a bed",
        "the ambulance took {long}",
        "waited {weeks} for my results",
        "the clinic was running {long} late",
        "waited {long} for my discharge letter",
        "been on the waiting list for {weeks}",
        "{rel} waited {long} on a trolley",
        "took ages to be seen",
        "the wait was ridiculous",
        "waited {long} for pain relief",
        "we were there till gone midnight",
    ],
    ("waiting-time", "0"): [
        "a bit of a wait but understandable",
        "ran a little late",
        "the wait was about what I expected",
        "waited a while but it is busy",
    ],
    ("environment", "+"): [
        "very clean",
        "the ward was spotless",
        "lovely calm surroundings",
        "bright and modern building",
        "comfortable chairs in the waiting area",
        "nice quiet side room",
        "the garden is lovely to sit in",
        "clean toilets",
        "a nice play area for the kids",
        "peaceful and relaxing",
    ],
    ("environment", "-"): [
        "the toilets were filthy",
        "the ward was too hot",
        "so noisy at night I couldn't sleep",
        "dirty floors",
        "the building is run down",
        "blood on the chair in the cubicle",
        "bins overflowing",
        "freezing cold in {place}",
        "the waiting room was cramped",
        "paint peeling off the walls",
        "broken blinds and the sun in my eyes all day",
        "no curtains round the bed so no privacy",
        "the shower didn't work",
        "lights on all night",
        "it smelled awful",
    ],
    ("environment", "0"): [
        "the waiting area could do with some magazines",
        "a bit tired looking but clean",
    ],
    ("care-quality", "+"): [
        "excellent care",
        "the treatment worked",
        "they saved {rel}'s life",
        "my wound healed really well",
        "very thorough examination",
        "the operation went really well",
        "my pain was well controlled",
        "they found what was wrong straight away",
        "fantastic care from start to finish",
        "very professional and efficient service",
        "I feel so much better now",
        "the best care {rel} has ever had",
        "got the right diagnosis at last",
        "they checked on me regularly through the night",
        "really good service",
    ],
    ("care-quality", "-"): [
        "they missed my fracture",
        "the medication was wrong",
        "three attempts to take blood",
        "{rel} was left in a soiled bed",
        "nobody checked on me all night",
        "my pain was ignored",
        "wrong diagnosis and I got worse",
        "they forgot {rel}'s insulin",
        "the stitches came open",
        "sent home with an infection",
        "{rel} developed a pressure sore",
        "the operation was cancelled twice",
        "they did not do the basic checks",
        "I was given someone else's tablets",
        "felt unsafe",
        "{rel} fell and nobody noticed",
    ],
    ("care-quality", "0"): [
        "care was ok",
        "treatment was average",
        "the care was fine, nothing special",
    ],
    ("food", "+"): [
        "the food was surprisingly good",
        "lovely meals",
        "plenty of choice on the menu",
        "the tea lady was a star",
        "hot food and good portions",
        "the sandwiches were fresh",
        "they catered for my gluten free diet",
    ],
    ("food", "-"): [
        "the food was cold",
        "meals were inedible",
        "no choice for vegetarians",
        "{rel} was left hungry because nobody helped her eat",
        "the tray was left out of reach",
        "dinner came at 4pm",
        "the food was awful",
        "no drinks offered all afternoon",
        "same sandwich every day",
    ],
    ("food", "0"): [
        "the food was ok",
        "food is hospital food, what do you expect",
    ],
    ("discharge-continuity", "+"): [
        "the discharge was well organised",
        "the district nurse came the day after I got home",
        "they sorted out the care package before {rel} came home",
        "my GP had the letter the next day",
        "good follow up afterwards",
        "saw the same midwife every time",
        "smooth handover to the community team",
    ],
    ("discharge-continuity", "-"): [
        "discharged too early",
        "sent home with no follow up",
        "waited all day for my discharge medication",
        "the GP never got the letter",
        "discharged at midnight with no way home",
        "no care package in place when {rel} came home",
        "saw a different doctor every time",
        "nobody followed up after the operation",
        "ended up back in A&E two days later",
    ],
    ("discharge-continuity", "0"): [
        "discharge took a while",
        "would have liked a follow up call",
    ],
}
THEMES = sorted({t for t, _ in PIECES})
#: How often each theme is raised (share of comments), roughly as in real feedback.
WEIGHT = {
    "staff-attitude": 0.40,
    "care-quality": 0.32,
    "communication": 0.22,
    "waiting-time": 0.18,
    "access": 0.12,
    "environment": 0.10,
    "food": 0.05,
    "discharge-continuity": 0.06,
}
CONTEXT = [
    "I came in for {reason}.",
    "{rel} was seen in {place} last week.",
    "Visited {place} today.",
    "Second visit this year.",
    "I was in for {reason}.",
    "We brought {rel} in with {reason}.",
    "Had {reason} at {place}.",
    "This was my first time here.",
    "I have been coming here for years.",
    "{rel} was admitted on Sunday.",
]
GENERIC = {
    "+": [
        "Good.",
        "Excellent.",
        "Very good thank you",
        "10/10",
        "Thank you!",
        "All good",
        "Brilliant",
        "Happy with everything",
        "Great",
        "Keep up the good work.",
    ],
    "-": ["Rubbish.", "Poor.", "Terrible experience.", "Not good", "Awful."],
    "0": [
        "No comment.",
        "n/a",
        "Nothing to add.",
        "Fine.",
        "Don't know.",
        "OK",
        "none",
        "Nothing",
        "Average.",
        "-",
    ],
}
CONFUSABLE = {
    "staff-attitude": "communication",
    "communication": "staff-attitude",
    "care-quality": "staff-attitude",
    "waiting-time": "access",
    "access": "waiting-time",
    "environment": "food",
    "food": "environment",
    "discharge-continuity": "communication",
}
OPENERS = {
    "+": ["", "", "", "Overall ", "Honestly ", "I have to say "],
    "-": ["", "", "", "Sadly ", "Honestly ", "I'm sorry to say "],
    "mixed": ["", "", "", "To be fair ", "Overall ", "On the whole "],
}
CLOSERS = {
    "+": ["", "", "", " Thank you.", " Thanks to all.", " Would recommend.", " Keep it up!"],
    "-": ["", "", "", " Very disappointed.", " Not happy.", " Must do better."],
    "mixed": ["", "", "", " Could be improved.", " Thank you.", " Not happy."],
}
#: Words people swap for one another: a piece's words are replaced at random, so the same
#: thought comes in many wordings and the exact n-grams of a test comment are often unseen.
SYNONYMS = {
    "rude": ["rude", "nasty", "impolite", "snappy", "offhand", "arrogant", "horrible"],
    "kind": ["kind", "sweet", "caring", "thoughtful", "considerate", "nice"],
    "lovely": ["lovely", "wonderful", "amazing", "fab", "brilliant", "great", "superb"],
    "friendly": ["friendly", "welcoming", "approachable", "pleasant", "chatty"],
    "excellent": ["excellent", "outstanding", "first class", "top notch", "exceptional"],
    "clean": ["clean", "tidy", "hygienic", "well kept"],
    "filthy": ["filthy", "disgusting", "grubby", "grim", "dirty"],
    "waited": ["waited", "sat waiting", "was kept waiting", "hung around"],
    "explained": ["explained", "went through", "made clear", "spelled out"],
    "told": ["told", "informed", "updated", "let"],
    "quick": ["quick", "fast", "speedy", "prompt", "efficient"],
    "awful": ["awful", "dreadful", "shocking", "appalling", "disgraceful", "poor"],
    "food": ["food", "grub", "catering", "hospital food"],
    "parking": ["parking", "car parking", "finding a space"],
    "appointment": ["appointment", "slot", "consultation", "booking"],
    "dismissive": ["dismissive", "patronising", "uninterested", "off with me"],
    "noisy": ["noisy", "loud", "chaotic"],
    "listened": ["listened", "paid attention", "heard me out"],
    "helpful": ["helpful", "supportive", "accommodating", "obliging"],
    "ignored": ["ignored", "brushed off", "not taken seriously", "overlooked"],
    "discharged": ["discharged", "sent home", "let out"],
}
TYPOS = {
    "received": "recieved",
    "definitely": "definately",
    "appointment": "appointmnet",
    "explained": "explaned",
    "because": "becuase",
    "waiting": "waitng",
    "their": "there",
    "separate": "seperate",
    "really": "realy",
}


def fill(rng: random.Random, piece: str) -> str:
    """Return ``piece`` with each {slot} replaced by a random filler and words swapped."""
    piece = re.sub(r"\{(\w+)\}", lambda m: rng.choice(SLOTS[m.group(1)]), piece)
    return re.sub(
        r"[a-z]+",
        lambda m: rng.choice(SYNONYMS[m.group(0)]) if m.group(0) in SYNONYMS else m.group(0),
        piece,
    )


def roughen(rng: random.Random, text: str) -> str:
    """Return ``text`` with the slips people make: typos, lower case, lost punctuation."""
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,!").lower()
        if bare in TYPOS and rng.random() < 0.3:
            words[i] = word.lower().replace(bare, TYPOS[bare])
    text = " ".join(words)
    if rng.random() < 0.25:
        text = text.lower()
    if rng.random() < 0.2:
        text = text.replace(".", "").replace(",", "")
    if rng.random() < 0.05:
        text = text.upper() if len(text) < 80 else text
    return text


def comment(rng: random.Random) -> tuple[str, list[str], str]:
    """Return one (text, themes, stance) comment before label noise."""
    if rng.random() < 0.06:
        polarity = rng.choices("+-0", weights=[5, 2, 3])[0]
        stance = {"+": "positive", "-": "negative", "0": "neutral"}[polarity]
        return rng.choice(GENERIC[polarity]), [], stance
    themes = [t for t in THEMES if rng.random() < WEIGHT[t]]
    if not themes:
        themes = [rng.choices(THEMES, weights=[WEIGHT[t] for t in THEMES])[0]]
    rng.shuffle(themes)
    mood = rng.choices(["+", "-", "mixed"], weights=[55, 30, 15])[0]
    polarities = []
    for n, _ in enumerate(themes):
        if mood == "mixed":
            polarity = "+" if n % 2 == 0 else "-"
            if len(themes) == 1:
                polarity = "0"
        else:
            polarity = "0" if rng.random() < 0.07 else mood
        polarities.append(polarity)
    if mood == "mixed" and len(themes) > 1 and rng.random() < 0.5:
        polarities.reverse()
    clauses = [
        fill(rng, rng.choice(PIECES[(t, p)])) for t, p in zip(themes, polarities, strict=True)
    ]
    # Some comments repeat a theme with a second phrasing, as people do when they feel strongly.
    if rng.random() < 0.2:
        j = rng.randrange(len(themes))
        clauses.insert(j + 1, fill(rng, rng.choice(PIECES[(themes[j], polarities[j])])))
    parts = []
    for n, clause in enumerate(clauses):
        if n == 0:
            parts.append(clause[0].upper() + clause[1:])
        else:
            joiner = rng.choice([". ", ", ", " and ", " but ", ". Also ", " - "])
            if joiner in (". ", ". Also "):
                clause = clause[0].upper() + clause[1:] if joiner == ". " else clause
            parts.append(joiner + clause)
    # Now and then an opener or closer that does not fit the mood, as people write.
    tone = mood if rng.random() < 0.9 else rng.choice(["+", "-", "mixed"])
    opener = rng.choice(OPENERS[tone])
    body = "".join(parts)
    if opener:
        body = body[0].lower() + body[1:]
    text = opener + body + rng.choice([".", ".", "!", ""])
    if rng.random() < 0.35:
        text = fill(rng, rng.choice(CONTEXT)) + " " + text[0].upper() + text[1:]
    text += rng.choice(CLOSERS[tone])
    signs = set(polarities)
    if signs == {"+"} or signs == {"+", "0"}:
        stance = "positive"
    elif signs == {"-"} or signs == {"-", "0"}:
        stance = "negative"
    else:
        stance = "neutral"
    return roughen(rng, text), sorted(set(themes)), stance


def noisy(rng: random.Random, themes: list[str], stance: str) -> tuple[list[str], str]:
    """Return the labels as a busy human coder would give them."""
    kept = [t for t in themes if rng.random() >= 0.12] or themes[:1]
    if themes and rng.random() < 0.08:
        kept.append(CONFUSABLE[rng.choice(themes)])
    if rng.random() < 0.08:
        stance = rng.choice([s for s in ("positive", "negative", "neutral") if s != stance])
    return sorted(set(kept)), stance


def main() -> None:
    """Write the CSV."""
    rng = random.Random(SEED)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "text", "themes", "stance"])
        for n in range(ROWS):
            text, themes, stance = comment(rng)
            themes, stance = noisy(rng, themes, stance)
            writer.writerow([f"g{n + 1:04d}", text, ";".join(themes), stance])


if __name__ == "__main__":
    main()
