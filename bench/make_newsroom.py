"""Generate a newsroom for the check benchmark: wire JPEGs plus articles in txt/md/html that caption them.

``python bench/make_newsroom.py DEST --images 10000 --articles 1000`` writes ``DEST/images/*.jpg``
(via ``bench/fixtures.py:make_wire_jpegs``, small pictures by default: the check's cost is metadata,
linking and the EXIF-thumbnail hash, not pixels) and ``DEST/articles/*.{txt,md,html}``: each article
captions 3 of the images (Markdown and HTML name the file; plain text doesn't, so it is linked by
matching the embedded caption), and a few plant duplicates (the same caption printed twice, or one
caption reused for another picture).

:func:`make_captions` is also used on its own: realistic, varied news-caption bodies with planted near
duplicates (a word changed, a clause added, a date or punctuation changed) for the near-duplicate index.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

FIRST = [
    "Maria",
    "Ahmed",
    "Olena",
    "Yossi",
    "Carlos",
    "Aiko",
    "Fatima",
    "Pierre",
    "Liam",
    "Noa",
    "Dmitri",
    "Grace",
    "Kwame",
    "Ines",
    "Rahul",
    "Sofia",
    "Tomas",
    "Leila",
    "Hiroshi",
    "Amara",
    "Lucas",
    "Yael",
    "Omar",
    "Elena",
    "Ivan",
    "Priya",
    "Mateo",
    "Hannah",
    "Samir",
    "Chloe",
    "Andrei",
    "Zanele",
    "Diego",
    "Mei",
    "Kofi",
    "Astrid",
    "Tariq",
    "Rosa",
    "Jonas",
    "Nadia",
    "Felipe",
    "Ingrid",
    "Hassan",
    "Clara",
    "Viktor",
    "Ayla",
    "Rafael",
    "Lina",
    "Kenji",
    "Ruth",
]
LAST = [
    "Cohen",
    "Levi",
    "Petrenko",
    "Garcia",
    "Tanaka",
    "Haddad",
    "Dubois",
    "Murphy",
    "Friedman",
    "Ivanova",
    "Mensah",
    "Silva",
    "Sharma",
    "Rossi",
    "Novak",
    "Karimi",
    "Sato",
    "Okafor",
    "Moreau",
    "Klein",
    "Herrera",
    "Mizrahi",
    "Schmidt",
    "Kowalski",
    "Nguyen",
    "Abebe",
    "Larsen",
    "Costa",
    "Yilmaz",
    "Barak",
    "Fischer",
    "Rahman",
    "Ortega",
    "Nakamura",
    "Boateng",
    "Lindqvist",
    "Avraham",
    "Jensen",
    "Alvarez",
    "Weiss",
    "Kuznetsov",
    "Mendes",
    "Osei",
    "Dahan",
    "Bauer",
    "Romero",
    "Hoffmann",
    "Suzuki",
    "Peretz",
    "Castillo",
]
ROLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "opposition leader",
    "Mayor",
    "Defence Minister",
    "Health Minister",
    "central bank governor",
    "union leader",
    "coach",
    "striker",
    "Secretary of State",
    "Finance Minister",
    "Chief Justice",
]
ACTIONS = [
    "speaks during a news conference",
    "arrives for a meeting",
    "waves to supporters",
    "attends a memorial service",
    "leaves after talks",
    "delivers a speech",
    "visits a hospital",
    "casts a ballot",
    "meets protesters",
    "gestures during an interview",
    "inspects flood damage",
    "signs an agreement",
    "celebrates after scoring",
    "addresses parliament",
    "tours a factory",
    "lays a wreath",
    "answers questions from reporters",
]
SCENES = [
    "Firefighters battle a blaze",
    "Protesters march through the streets",
    "Rescue workers search the rubble",
    "Commuters wait on a crowded platform",
    "Fishermen unload their catch",
    "Children play in a fountain",
    "Soldiers patrol a checkpoint",
    "Volunteers hand out food",
    "Farmers harvest wheat",
    "Shoppers browse a market",
    "Residents clear debris",
    "Police officers stand guard",
    "Mourners gather at a cemetery",
    "Workers repair a power line",
    "Fans cheer in a stadium",
    "Demonstrators hold placards",
]
PLACES = [
    "Jerusalem, Israel",
    "Tel Aviv, Israel",
    "Kyiv, Ukraine",
    "Kharkiv, Ukraine",
    "Moscow, Russia",
    "Washington, DC, US",
    "New York, US",
    "Paris, France",
    "Marseille, France",
    "Berlin, Germany",
    "Munich, Germany",
    "Rome, Italy",
    "Madrid, Spain",
    "Valencia, Spain",
    "London, Britain",
    "Manchester, Britain",
    "Tokyo, Japan",
    "Osaka, Japan",
    "Cairo, Egypt",
    "Nairobi, Kenya",
    "Lagos, Nigeria",
    "Sao Paulo, Brazil",
    "Buenos Aires, Argentina",
    "Mexico City, Mexico",
    "Mumbai, India",
    "New Delhi, India",
    "Beijing, China",
    "Seoul, South Korea",
    "Istanbul, Turkey",
    "Athens, Greece",
    "Warsaw, Poland",
    "Vienna, Austria",
    "Stockholm, Sweden",
    "Sydney, Australia",
]
SETTINGS = [
    "outside the parliament building",
    "at the main square",
    "near the harbour",
    "in the old city",
    "at a refugee camp",
    "on the outskirts of the city",
    "at the national stadium",
    "inside a field hospital",
    "at the border crossing",
    "in front of the courthouse",
    "at a polling station",
    "along the river bank",
]
EXTRAS = [
    "as rain falls",
    "ahead of the vote",
    "after the storm",
    "during a heatwave",
    "on the eve of the summit",
    "as talks continue",
    "after overnight shelling",
    "before the final",
    "amid tight security",
    "as prices rise",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CREDITS = [
    "REUTERS/{P}",
    "(AP Photo/{P})",
    "{P}/AFP",
    "(Photo by {P}/Getty Images)",
    "(photo credit: REUTERS/{PU})",
    "EPA-EFE/{PU}",
    "{P}/FLASH90",
    "(credit: {PU}/THE JERUSALEM POST)",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2026)}"


def caption_body(rng: random.Random) -> str:
    """One realistic caption body (no credit)."""
    place = rng.choice(PLACES)
    if rng.random() < 0.5:
        who = f"{rng.choice(ROLES)} {_person(rng)}"
        text = f"{who} {rng.choice(ACTIONS)} {rng.choice(SETTINGS)} in {place}, {_date(rng)}."
    else:
        text = (
            f"{rng.choice(SCENES)} {rng.choice(SETTINGS)} in {place} {rng.choice(EXTRAS)}, {_date(rng)}, "
            f"{rng.choice(['days', 'hours', 'weeks'])} after {rng.choice(['a', 'the'])} "
            f"{rng.choice(['visit', 'strike', 'ruling', 'flood', 'vote', 'attack', 'match', 'election'])} "
            f"by {_person(rng)}."
        )
    if rng.random() < 0.3:
        text += f" {_person(rng).split()[0]} {rng.randint(2, 95)}, said the {rng.choice(['area', 'town', 'street'])} was {rng.choice(['calm', 'tense', 'flooded', 'crowded'])}."
    return text


def credit(rng: random.Random) -> str:
    person = _person(rng)
    return rng.choice(CREDITS).format(P=person, PU=person.upper())


def near_variant(text: str, rng: random.Random) -> str:
    """A near duplicate of ``text``: the kinds of edits desks make when a caption is reused."""
    words = text.split()
    kind = rng.randrange(5)
    if kind == 0 and len(words) > 6:  # one word changed
        index = rng.randrange(1, len(words) - 1)
        words[index] = rng.choice(["a", "the", "new", "local", "large", "main"])
    elif kind == 1:  # date changed
        return text.rsplit(",", 1)[0] + f", {rng.randint(2015, 2026)}."
    elif kind == 2:  # case / punctuation only
        return text.upper().replace(",", "")
    elif kind == 3 and len(words) > 8:  # a word dropped
        del words[rng.randrange(1, len(words) - 1)]
    else:  # a short clause added
        return text.rstrip(".") + " on Friday."
    return " ".join(words)


def make_captions(count: int, *, seed: int = 0, duplicate_rate: float = 0.05) -> list[str]:
    """``count`` caption bodies; about ``duplicate_rate`` of them are exact or near copies of earlier ones."""
    rng = random.Random(seed)
    captions: list[str] = []
    for _ in range(count):
        if captions and rng.random() < duplicate_rate:
            source = rng.choice(captions)
            captions.append(source if rng.random() < 0.3 else near_variant(source, rng))
        else:
            captions.append(caption_body(rng))
    return captions


def _articles(dest: Path, images: list[Path], count: int, rng: random.Random) -> list[Path]:
    """``count`` articles, each captioning 3 images (text articles repeat one caption, like the seed)."""
    from PIL import Image  # noqa: F401  (imported to fail early when Pillow is missing)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from mediameta.media.read import read_record

    folder = dest / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index in range(count):
        chosen = [images[(index * 3 + k) % len(images)] for k in range(3)]
        captions = [read_record(path).description or caption_body(rng) for path in chosen]
        if index % 50 == 7:  # planted: a caption reused for the next picture
            captions[1] = captions[0]
        fmt = ("txt", "md", "html")[index % 3]
        body = [f"Paragraph {n} of story {index}: {caption_body(rng)}" for n in range(4)]
        path = folder / f"story-{index:04d}.{fmt}"
        rel = [f"../images/{p.name}" for p in chosen]
        if fmt == "txt":
            lines = [f"Story {index}", ""]
            for n, caption in enumerate(captions):
                lines += [caption, ""]
                if n == 0:
                    lines += [caption, ""]  # printed twice, as in the seed article
                lines += [body[n], ""]
            path.write_text("\n".join(lines), encoding="utf-8")
        elif fmt == "md":
            lines = [f"# Story {index}", ""]
            for n, caption in enumerate(captions):
                lines += [f"![picture {n}]({rel[n]})", f"*{caption}*", "", body[n], ""]
            path.write_text("\n".join(lines), encoding="utf-8")
        else:
            parts = [f"<html><head><title>Story {index}</title></head><body><article>"]
            for n, caption in enumerate(captions):
                parts.append(
                    f'<figure><img src="{rel[n]}" alt="picture {n}"><figcaption>{caption}</figcaption></figure>'
                )
                parts.append(f"<p>{body[n]}</p>")
            parts.append("</article></body></html>")
            path.write_text("\n".join(parts), encoding="utf-8")
        written.append(path)
    return written


def make_newsroom(dest: Path, *, images: int, articles: int, seed: int = 0, megapixels: float = 0.3) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from fixtures import make_wire_jpegs

    paths = make_wire_jpegs(dest / "images", images, seed=seed, megapixels=megapixels, unique_pixels=True)
    _articles(dest, paths, articles, random.Random(seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--megapixels", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make_newsroom(
        args.dest, images=args.images, articles=args.articles, seed=args.seed, megapixels=args.megapixels
    )


if __name__ == "__main__":
    main()
