"""Synthetic patient comments and consultation answers for the text benchmarks (illustrative).

Generated from phrase templates with a fixed seed: each comment joins one to three clauses,
each clause from one theme with a positive, negative or neutral slant, plus optional filler
sentences that carry no theme. The comment's stance is positive or negative when all its
clauses agree, else neutral. These texts are for speed and scale only; the F1 figures worth
quoting come from the hand-written set in ``benchmarks/data``.
"""

from __future__ import annotations

import random

THEMES: dict[str, dict[str, list[str]]] = {
    "staff-attitude": {
        "positive": [
            "the {staff} were so kind and caring",
            "{staff} treated {who} with real dignity and respect",
            "the {staff} could not have been friendlier",
            "everyone from the {staff} was polite and welcoming",
        ],
        "negative": [
            "the {staff} was rude and dismissive",
            "{staff} spoke to {who} as if we were a nuisance",
            "one of the {staff} was abrupt and unhelpful",
            "nobody from the {staff} even said hello",
        ],
        "neutral": ["the {staff} were ok I suppose", "{staff} were polite enough"],
    },
    "waiting-time": {
        "positive": [
            "we were seen on time",
            "hardly any wait at all, in and out in {minutes} minutes",
            "the appointment ran exactly to time",
        ],
        "negative": [
            "we waited {hours} hours past the appointment time",
            "the waiting list is {months} months which is far too long",
            "it took {weeks} weeks to get the results back",
            "sat in the waiting room for {hours} hours",
        ],
        "neutral": ["the wait was about {minutes} minutes which is what I expected"],
    },
    "communication": {
        "positive": [
            "everything was explained clearly",
            "they kept {who} informed at every stage",
            "the {staff} took time to answer all our questions",
        ],
        "negative": [
            "nobody explained what was happening to {who}",
            "I had to chase the results {count} times",
            "the letter arrived after the appointment date",
            "we got conflicting information from different people",
        ],
        "neutral": ["a bit more information about what happens next would help"],
    },
    "environment": {
        "positive": [
            "the {place} was spotless and calm",
            "a clean and bright {place} with comfortable chairs",
        ],
        "negative": [
            "the {place} was dirty and the toilets were filthy",
            "the {place} was noisy and far too hot at night",
            "the {place} was overcrowded with people standing",
        ],
        "neutral": ["the {place} could do with updating"],
    },
    "access": {
        "positive": [
            "it was easy to book an appointment online",
            "the clinic is close to home so I can walk there",
            "getting a same day appointment was easy",
        ],
        "negative": [
            "you cannot get through on the phone at 8am",
            "parking is impossible and we nearly missed the appointment",
            "there is no bus to the {place} from {town}",
            "getting an appointment is a nightmare",
        ],
        "neutral": ["parking costs a few pounds"],
    },
    "care-quality": {
        "positive": [
            "the treatment was excellent and {who} is much better",
            "a very thorough examination and the right diagnosis",
            "pain was well managed after the operation",
        ],
        "negative": [
            "{who} was discharged too early and ended up back in A&E",
            "the medication was wrong on discharge",
            "they missed the fracture and we had to go back",
        ],
        "neutral": ["the treatment was fine, nothing special"],
    },
    "food": {
        "positive": ["the food was good with plenty of choice", "meals were hot and tasty"],
        "negative": ["the food was cold and tasteless", "nobody helped {who} to eat"],
        "neutral": ["the food was ok but portions were small"],
    },
}
FILL = {
    "staff": ["nurses", "receptionist", "doctor", "physio", "health visitor", "district nurse"],
    "who": ["my mum", "my dad", "me", "my son", "my husband", "my nan"],
    "place": ["ward", "waiting room", "clinic", "health centre", "community hospital"],
    "town": ["Ludlow", "Whitchurch", "Oswestry", "Bridgnorth", "Market Drayton"],
    "minutes": ["10", "15", "20", "30"],
    "hours": ["two", "three", "four"],
    "weeks": ["three", "six", "eight"],
    "months": ["six", "nine", "eighteen"],
    "count": ["three", "four", "several"],
}
FILLERS = [
    "I have been a patient here for many years.",
    "This was my third visit this year.",
    "I came in with my daughter.",
    "My appointment was on a Tuesday morning.",
    "I was referred by my GP after a fall at home.",
    "We travelled in from the countryside.",
    "It was my first time using this service.",
    "I am a carer for my elderly mother.",
]
OPENERS = ["", "", "Overall ", "To be honest ", "Just to say "]


def _fill(template: str, rng: random.Random) -> str:
    out = template
    for key, values in FILL.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", rng.choice(values), 1)
    return out


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 4:
        j = rng.randrange(1, len(w) - 1)
        words[i] = w[:j] + w[j + 1 :]
    return " ".join(words)


def comment(rng: random.Random, fillers: tuple[int, int] = (0, 1)) -> tuple[str, list[str], str]:
    """Return one synthetic comment with its themes and stance."""
    themes = rng.sample(sorted(THEMES), rng.choice([1, 1, 1, 2, 2, 3]))
    slants = [
        rng.choice(["positive", "positive", "negative", "negative", "neutral"]) for _ in themes
    ]
    clauses = [_fill(rng.choice(THEMES[t][s]), rng) for t, s in zip(themes, slants, strict=True)]
    text = rng.choice(OPENERS) + " and ".join(clauses) + "."
    text = text[0].upper() + text[1:]
    extra = rng.sample(FILLERS, rng.randint(*fillers))
    text = " ".join([*extra, text]) if rng.random() < 0.5 else " ".join([text, *extra])
    if rng.random() < 0.2:
        text = _typo(text, rng)
    if rng.random() < 0.1:
        text = text.lower()
    stance = slants[0] if len(set(slants)) == 1 else "neutral"
    return text, sorted(themes), stance


def comments(
    n: int, seed: int, fillers: tuple[int, int] = (0, 1)
) -> list[tuple[str, str, str, str]]:
    """Return ``n`` (id, text, themes joined by ';', stance) rows, the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text, themes, stance = comment(rng, fillers)
        out.append((f"r{i + 1:06d}", text, ";".join(themes), stance))
    return out
