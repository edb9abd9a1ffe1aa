"""One test per credit form newsrooms publish (issue 2's list), through the public parse_caption API.

Captions are written for these tests in the style of each house; none is copied from the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from mediameta.captions.parse import parse_caption
from mediameta.models import Caption


@dataclass
class Want:
    raw: str | None
    photographers: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    date: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    body: str | None = None
    file_marker: bool = False


FORMS: dict[str, tuple[str, Want]] = {
    "jpost photo credit": (
        "A man votes at a polling station in Haifa, Israel, March 3, 2025. (photo credit: REUTERS/AMIR COHEN/FILE PHOTO)",
        Want(
            "REUTERS/AMIR COHEN/FILE PHOTO",
            ["AMIR COHEN"],
            ["Reuters"],
            ["file"],
            "2025-03-03",
            "Haifa",
            None,
            "Israel",
            "A man votes at a polling station in Haifa, Israel, March 3, 2025.",
        ),
    ),
    "jpost credit": (
        "Smoke rises over the town of Sudzha, Kursk region, Russia, August 16, 2024. (credit: REUTERS/OLEG PETRASYUK)",
        Want(
            "REUTERS/OLEG PETRASYUK",
            ["OLEG PETRASYUK"],
            ["Reuters"],
            [],
            "2024-08-16",
            "Sudzha",
            "Kursk region",
            "Russia",
        ),
    ),
    "reuters trailing file photo": (
        "A trader works on the floor of the exchange in New York City, U.S., May 2, 2024. REUTERS/Brendan McDermid/File Photo",
        Want(
            "REUTERS/Brendan McDermid/File Photo",
            ["Brendan McDermid"],
            ["Reuters"],
            ["file"],
            "2024-05-02",
            "New York City",
            None,
            "U.S.",
        ),
    ),
    "reuters FILE PHOTO marker": (
        "FILE PHOTO: The logo of the company is seen in Zurich, Switzerland, June 1, 2023. REUTERS/Arnd Wiegmann",
        Want(
            "REUTERS/Arnd Wiegmann",
            ["Arnd Wiegmann"],
            ["Reuters"],
            ["file"],
            "2023-06-01",
            "Zurich",
            None,
            "Switzerland",
            "The logo of the company is seen in Zurich, Switzerland, June 1, 2023.",
            file_marker=True,
        ),
    ),
    "reuters pool": (
        "The president speaks in the Oval Office in Washington, U.S., January 21, 2025. REUTERS/Kevin Lamarque/POOL",
        Want(
            "REUTERS/Kevin Lamarque/POOL",
            ["Kevin Lamarque"],
            ["Reuters"],
            ["pool"],
            "2025-01-21",
            "Washington",
            None,
            "U.S.",
        ),
    ),
    "reuters handout via": (
        "A satellite image shows the damaged bridge near Kherson, Ukraine, November 11, 2022. Maxar Technologies/Handout via REUTERS",
        Want(
            "Maxar Technologies/Handout via REUTERS",
            [],
            ["Maxar Technologies", "Reuters"],
            ["handout"],
            "2022-11-11",
            "Kherson",
            None,
            "Ukraine",
        ),
    ),
    "reuters photographer first": (
        "A golfer tees off during the final round in Augusta, Georgia, U.S., April 14, 2024. MIKE SEGAR/REUTERS",
        Want(
            "MIKE SEGAR/REUTERS", ["MIKE SEGAR"], ["Reuters"], [], "2024-04-14", "Augusta", "Georgia", "U.S."
        ),
    ),
    "reuters illustration": (
        "Bitcoin tokens are seen in this illustration taken March 8, 2024. REUTERS/Dado Ruvic/ILLUSTRATION",
        Want("REUTERS/Dado Ruvic/ILLUSTRATION", ["Dado Ruvic"], ["Reuters"], ["illustration"], "2024-03-08"),
    ),
    "ap bracketed": (
        "The senator speaks on Capitol Hill, Tuesday, Feb. 6, 2024, in Washington. (AP Photo/J. Scott Applewhite)",
        Want("AP Photo/J. Scott Applewhite", ["J. Scott Applewhite"], ["AP"], [], "2024-02-06", "Washington"),
    ),
    "ap trailing": (
        "Fans cheer before the game, Sunday, Oct. 13, 2024, in Kansas City, Mo. Charlie Riedel/AP Photo",
        Want("Charlie Riedel/AP Photo", ["Charlie Riedel"], ["AP"], [], "2024-10-13", "Kansas City", "Mo."),
    ),
    "invision ap": (
        "An actor arrives at the premiere on Monday, Nov. 4, 2024, in Los Angeles. (Photo by Richard Shotwell/Invision/AP)",
        Want(
            "Richard Shotwell/Invision/AP",
            ["Richard Shotwell"],
            ["Invision", "AP"],
            [],
            "2024-11-04",
            "Los Angeles",
        ),
    ),
    "ap FILE dash marker": (
        "FILE - A container ship is docked at the port in Oakland, Calif., Sept. 22, 2018. (AP Photo/Ben Margot, File)",
        Want(
            "AP Photo/Ben Margot, File",
            ["Ben Margot"],
            ["AP"],
            ["file"],
            "2018-09-22",
            "Oakland",
            "Calif.",
            body="A container ship is docked at the port in Oakland, Calif., Sept. 22, 2018.",
            file_marker=True,
        ),
    ),
    "afp photo by": (
        "The prime minister arrives for a summit in Brussels on March 20, 2025. (Photo by JOHN THYS / AFP)",
        Want("JOHN THYS / AFP", ["JOHN THYS"], ["AFP"], [], "2025-03-20", "Brussels"),
    ),
    "getty photo by": (
        "The team celebrates after the final at Wembley Stadium on June 1, 2024 in London, England. (Photo by Julian Finney/Getty Images)",
        Want(
            "Julian Finney/Getty Images",
            ["Julian Finney"],
            ["Getty Images"],
            [],
            "2024-06-01",
            "London",
            None,
            "England",
        ),
    ),
    "afp via getty": (
        "Firefighters work at a damaged building in Kharkiv on May 25, 2024. (Photo by SERGEY BOBOK/AFP via Getty Images)",
        Want(
            "SERGEY BOBOK/AFP via Getty Images",
            ["SERGEY BOBOK"],
            ["AFP", "Getty Images"],
            [],
            "2024-05-25",
            "Kharkiv",
        ),
    ),
    "getty dateline": (
        "MIAMI, FL - JULY 14: Fans watch the match at Hard Rock Stadium on July 14, 2024 in Miami, Florida. (Photo by Megan Briggs/Getty Images)",
        Want(
            "Megan Briggs/Getty Images", ["Megan Briggs"], ["Getty Images"], [], "2024-07-14", "MIAMI", "FL"
        ),
    ),
    "epa-efe day month year": (
        "Farmers block a road with tractors near Madrid, Spain, 6 February 2024. EPA-EFE/FERNANDO VILLAR",
        Want(
            "EPA-EFE/FERNANDO VILLAR", ["FERNANDO VILLAR"], ["EPA"], [], "2024-02-06", "Madrid", None, "Spain"
        ),
    ),
    "shutterstock mandatory credit": (
        "Mandatory Credit: Photo by Tolga Akmen/EPA-EFE/Shutterstock (14512345b)",
        Want("Tolga Akmen/EPA-EFE/Shutterstock", ["Tolga Akmen"], ["EPA", "Shutterstock"], []),
    ),
    "for the new york times": (
        "Voters line up outside a school in Atlanta on Tuesday. Nicole Craine for The New York Times",
        Want(
            "Nicole Craine for The New York Times",
            ["Nicole Craine"],
            ["The New York Times"],
            [],
            None,
            "Atlanta",
        ),
    ),
    "canadian press": (
        "The premier speaks to reporters in Toronto on Thursday, March 6, 2025. (The Canadian Press/Chris Young)",
        Want(
            "The Canadian Press/Chris Young", ["Chris Young"], ["Canadian Press"], [], "2025-03-06", "Toronto"
        ),
    ),
    "flash90": (
        "Shoppers at the Mahane Yehuda market in Jerusalem, December 2, 2024. Chaim Goldberg/FLASH90",
        Want("Chaim Goldberg/FLASH90", ["Chaim Goldberg"], ["Flash90"], [], "2024-12-02", "Jerusalem"),
    ),
    "gpo": (
        "The prime minister meets the delegation in Jerusalem, January 5, 2025. KOBI GIDEON/GPO",
        Want("KOBI GIDEON/GPO", ["KOBI GIDEON"], ["GPO"], [], "2025-01-05", "Jerusalem"),
    ),
    "jerusalem post": (
        "Demonstrators gather in Tel Aviv on Saturday night. AVSHALOM SASSONI/THE JERUSALEM POST",
        Want(
            "AVSHALOM SASSONI/THE JERUSALEM POST",
            ["AVSHALOM SASSONI"],
            ["The Jerusalem Post"],
            [],
            None,
            "Tel Aviv",
        ),
    ),
    "idf spokesperson": (
        "Soldiers operate in the Gaza Strip, in this handout photo released on March 3, 2024. IDF SPOKESPERSON'S UNIT",
        Want(
            "IDF SPOKESPERSON'S UNIT",
            [],
            ["IDF Spokesperson's Unit"],
            ["handout"],
            "2024-03-03",
            None,
            "Gaza Strip",
        ),
    ),
    "courtesy of": (
        "The restored mosaic floor of the ancient synagogue. COURTESY OF THE ISRAEL MUSEUM",
        Want("COURTESY OF THE ISRAEL MUSEUM", [], ["THE ISRAEL MUSEUM"], ["courtesy"]),
    ),
    "wikimedia commons": (
        "The old harbour of Tallinn in 2012. Wikimedia Commons",
        Want("Wikimedia Commons", [], ["Wikimedia Commons"], [], "2012"),
    ),
    "creative commons licence": (
        "The cathedral square in winter. Photo: Jane Roe/Wikimedia Commons/CC BY-SA 4.0",
        Want(
            "Jane Roe/Wikimedia Commons/CC BY-SA 4.0",
            ["Jane Roe"],
            ["Wikimedia Commons"],
            ["licence"],
        ),
    ),
    "photo label": (
        "Activists block a motorway near Hamburg. Photo: Morris MacMatzen/Getty Images",
        Want("Morris MacMatzen/Getty Images", ["Morris MacMatzen"], ["Getty Images"], [], None, "Hamburg"),
    ),
    "photograph label": (
        "The president in Kyiv on Friday. Photograph: Efrem Lukatsky/AP",
        Want("Efrem Lukatsky/AP", ["Efrem Lukatsky"], ["AP"], [], None, "Kyiv"),
    ),
    "image label": (
        "The new headset on display. Image: Samsung",
        Want("Samsung", [], ["Samsung"]),
    ),
    "copyright symbol": (
        "The harbour at dawn. © Anna Schmidt",
        Want("Anna Schmidt", ["Anna Schmidt"], []),
    ),
    "foto label german": (
        "Die Kanzlerin spricht am 3. März 2025 im Bundestag in Berlin. Foto: Kay Nietfeld/dpa",
        Want("Kay Nietfeld/dpa", ["Kay Nietfeld"], ["dpa"], [], "2025-03-03", "Berlin"),
    ),
    "bild label and dotted date": (
        "Die Altstadt von Dresden am 14.05.2018. Bild: Robert Michael/dpa",
        Want("Robert Michael/dpa", ["Robert Michael"], ["dpa"], [], "2018-05-14"),
    ),
    "copyright dpa": (
        "Ein Streifenwagen in Köln. © dpa",
        Want("dpa", [], ["dpa"], [], None, "Köln"),
    ),
    "picture alliance pipe": (
        "Demonstranten in Leipzig am 3. Oktober 2024. picture alliance / dpa | Jan Woitas",
        Want(
            "picture alliance / dpa | Jan Woitas",
            ["Jan Woitas"],
            ["picture alliance", "dpa"],
            [],
            "2024-10-03",
            "Leipzig",
        ),
    ),
    "imago": (
        "Fans im Stadion in Dortmund. IMAGO/Kirchner-Media",
        Want("IMAGO/Kirchner-Media", [], ["IMAGO", "Kirchner-Media"], [], None, "Dortmund"),
    ),
    "via separator": (
        "Nicolaus Czarnecki/Boston Herald, via Associated Press",
        Want(
            "Nicolaus Czarnecki/Boston Herald, via Associated Press",
            ["Nicolaus Czarnecki"],
            ["Boston Herald", "AP"],
        ),
    ),
    "pipe separator": (
        "Oli Scarff | AFP | Getty Images",
        Want("Oli Scarff | AFP | Getty Images", ["Oli Scarff"], ["AFP", "Getty Images"]),
    ),
    "spaced slash": (
        "Ezra Acayan / Getty Images",
        Want("Ezra Acayan / Getty Images", ["Ezra Acayan"], ["Getty Images"]),
    ),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_credit_form(name: str) -> None:
    text, want = FORMS[name]
    caption = parse_caption(text)
    if want.raw is None:
        assert caption.credit is None
        return
    assert caption.credit is not None, f"no credit found in {text!r}"
    assert caption.credit.raw == want.raw
    assert caption.credit.photographers == want.photographers
    assert caption.credit.agencies == want.agencies
    assert sorted(caption.credit.qualifiers) == sorted(want.qualifiers)
    assert (caption.date.iso if caption.date else None) == want.date
    location = caption.location
    assert (location.city if location else None) == want.city
    assert (location.region if location else None) == want.region
    assert (location.country if location else None) == want.country
    if want.body is not None:
        assert caption.body == want.body
    assert caption.file_marker == want.file_marker
    assert_spans_consistent(caption)


def assert_spans_consistent(caption: Caption) -> None:
    text = caption.text
    for name, span in caption.spans.items():
        assert 0 <= span.start <= span.end <= len(text), name
    if caption.credit is not None:
        credit_span = caption.spans["credit"]
        assert text[credit_span.start : credit_span.end] == caption.credit.raw
        for index, photographer in enumerate(caption.credit.photographers):
            span = caption.spans[f"photographer:{index}"]
            assert text[span.start : span.end] == photographer
    if caption.body is not None:
        body_span = caption.spans["body"]
        assert text[body_span.start : body_span.end] == caption.body
    if caption.date is not None:
        date_span = caption.spans["date"]
        assert text[date_span.start : date_span.end] == caption.date.text
    if caption.location is not None and caption.location.city is not None:
        city_span = caption.spans["city"]
        assert text[city_span.start : city_span.end] == caption.location.city


def test_reuters_reported_in_a_body_sentence_is_not_a_credit() -> None:
    caption = parse_caption("Reuters reported on Monday that the company will cut 2,000 jobs in Germany.")
    assert caption.credit is None
    assert caption.body == "Reuters reported on Monday that the company will cut 2,000 jobs in Germany."


def test_agency_named_mid_sentence_is_not_a_credit() -> None:
    caption = parse_caption("Officials told The Associated Press that the talks in Doha had stalled.")
    assert caption.credit is None


def test_headline_after_photos_label_is_not_a_credit() -> None:
    assert parse_caption("Photos: Inside the Battle for Tripoli").credit is None


def test_credit_only_caption_has_no_body() -> None:
    caption = parse_caption("Evan Vucci/AP Photo")
    assert caption.body is None
    assert caption.credit is not None
    assert caption.credit.photographers == ["Evan Vucci"]
    assert caption.credit.agencies == ["AP"]


def test_weekday_next_to_the_date_is_kept() -> None:
    caption = parse_caption(
        "Workers strike outside the plant, Friday, March 3, 2023, in Detroit. (AP Photo/Paul Sancya)"
    )
    assert caption.date is not None
    assert (caption.date.iso, caption.date.text, caption.date.weekday) == (
        "2023-03-03",
        "Friday, March 3, 2023",
        "Friday",
    )


def test_second_credit_adds_its_parties() -> None:
    caption = parse_caption(
        "Supporters cheer in New York on November 9, 2016. / AFP / JIM WATSON "
        "(Photo credit should read JIM WATSON/AFP/Getty Images)"
    )
    assert caption.credit is not None
    assert caption.credit.raw == "AFP / JIM WATSON"
    assert caption.credit.agencies == ["AFP", "Getty Images"]
    assert caption.credit.photographers == ["JIM WATSON"]


def test_month_only_and_year_only_dates() -> None:
    month = parse_caption("The flooded village in August 2018. Photo: Lena Berg/dpa")
    assert month.date is not None and month.date.iso == "2018-08"
    year = parse_caption("Protesters outside parliament in 1989. (AP)")
    assert year.date is not None and year.date.iso == "1989"
    event = parse_caption("Athletes at the Olympics 2024 opening. Photo: Lena Berg/dpa")
    assert event.date is None


def test_abbreviated_months() -> None:
    assert parse_caption("Seen on Dec. 8, 2016. (AP)").date.iso == "2016-12-08"  # type: ignore[union-attr]
    assert parse_caption("Seen on Sept. 22, 2018. (AP)").date.iso == "2018-09-22"  # type: ignore[union-attr]
    assert parse_caption("Aufgenommen am 3. März 2025. Foto: dpa").date.iso == "2025-03-03"  # type: ignore[union-attr]


def test_newsroom_catalogue_extension() -> None:
    from mediameta.captions.catalogue import default_catalogue

    catalogue = default_catalogue().extended(
        [{"name": "Harbour Gazette", "aliases": ["HG"], "kind": "newspaper"}]
    )
    caption = parse_caption("The quay at dusk. Photo: Mia Lund/HG", catalogue)
    assert caption.credit is not None
    assert caption.credit.agencies == ["Harbour Gazette"]
    assert caption.credit.photographers == ["Mia Lund"]


# More house styles: (caption, raw credit, photographers, agencies, qualifiers)
MORE_FORMS: list[tuple[str, str | None, list[str], list[str], list[str]]] = [
    (
        "The minister leaves Downing Street. Image source, Getty Images",
        "Getty Images",
        [],
        ["Getty Images"],
        [],
    ),
    (
        "Voters at a polling site in Phoenix. Andrew Harnik / AP file",
        "Andrew Harnik / AP file",
        ["Andrew Harnik"],
        ["AP"],
        ["file"],
    ),
    ("The families gather in Tel Aviv. (Courtesy)", "Courtesy", [], [], ["courtesy"]),
    ("Soldiers near Bakhmut. Photo: Libkos/AP", "Libkos/AP", ["Libkos"], ["AP"], []),
    (
        "Ein Zug in Zürich. Bild: Keystone/Ennio Leanza",
        "Keystone/Ennio Leanza",
        ["Ennio Leanza"],
        ["Keystone"],
        [],
    ),
    (
        "Der Kanzler. Foto: Michael Kappeler / picture alliance / dpa",
        "Michael Kappeler / picture alliance / dpa",
        ["Michael Kappeler"],
        ["picture alliance", "dpa"],
        [],
    ),
    (
        "Ein Polizeiauto in Karlsruhe. Foto: Uli Deck/dpa/Archivbild",
        "Uli Deck/dpa/Archivbild",
        ["Uli Deck"],
        ["dpa"],
        ["file"],
    ),
    (
        "The chief executive in New York. Photographer: Jason Alden/Bloomberg",
        "Jason Alden/Bloomberg",
        ["Jason Alden"],
        ["Bloomberg"],
        [],
    ),
    (
        "Rescuers at the scene. Ukrainian Presidential Press Service/Handout via REUTERS",
        "Ukrainian Presidential Press Service/Handout via REUTERS",
        [],
        ["Ukrainian Presidential Press Service", "Reuters"],
        ["handout"],
    ),
    (
        "A leader in Riyadh, February 18, 2025. Evelyn Hockstein/Pool via REUTERS",
        "Evelyn Hockstein/Pool via REUTERS",
        ["Evelyn Hockstein"],
        ["Reuters"],
        ["pool"],
    ),
    ("A viral post. Screenshot via YouTube", "Screenshot via YouTube", [], ["YouTube"], ["screenshot"]),
    ("Le président à Paris. Crédit photo : AFP", "AFP", [], ["AFP"], []),
    (
        "Un Népalais prie à Katmandou. (Photo Prakash Mathema. AFP)",
        "Prakash Mathema. AFP",
        ["Prakash Mathema"],
        ["AFP"],
        [],
    ),
    ("Pedro Sánchez en Madrid. EFE/Chema Moya", "EFE/Chema Moya", ["Chema Moya"], ["EFE"], []),
    ("Keir Starmer (PA)", "PA", [], ["PA"], []),
    ("The team celebrates. Photo by: Jane Doe", "Jane Doe", ["Jane Doe"], [], []),
    ("The team. Photo © Jane Doe", "Jane Doe", ["Jane Doe"], [], []),
    ("The team. Photo: © Jane Doe/AP", "Jane Doe/AP", ["Jane Doe"], ["AP"], []),
    (
        "Das Fossil im Museum. Foto: mit freundlicher Genehmigung von Naturkundemuseum Berlin",
        "mit freundlicher Genehmigung von Naturkundemuseum Berlin",
        [],
        ["Naturkundemuseum Berlin"],
        ["courtesy"],
    ),
    (
        "Beamte in Stuttgart. Foto: Landespolizei Baden-Württemberg",
        "Landespolizei Baden-Württemberg",
        [],
        ["Landespolizei Baden-Württemberg"],
        [],
    ),
]


@pytest.mark.parametrize(("text", "raw", "photographers", "agencies", "qualifiers"), MORE_FORMS)
def test_more_house_styles(
    text: str, raw: str | None, photographers: list[str], agencies: list[str], qualifiers: list[str]
) -> None:
    caption = parse_caption(text)
    assert caption.credit is not None
    assert caption.credit.raw == raw
    assert caption.credit.photographers == photographers
    assert caption.credit.agencies == agencies
    assert sorted(caption.credit.qualifiers) == sorted(qualifiers)
    assert_spans_consistent(caption)


def test_place_parts_stop_at_the_date_and_skip_directions() -> None:
    kyiv = parse_caption(
        "The remains of a building in Kyiv, Ukraine May 30, 2023. REUTERS/Gleb Garanich"
    ).location
    assert kyiv is not None and (kyiv.city, kyiv.country) == ("Kyiv", "Ukraine")
    moscow = parse_caption("People walk in central Moscow, Russia, on Thursday. Reuters").location
    assert moscow is not None and (moscow.city, moscow.country) == ("Moscow", "Russia")
    gaza = parse_caption(
        "Soldiers in the northern Gaza Strip, November 22, 2023. REUTERS/Ronen Zvulun/Pool"
    ).location
    assert gaza is not None and (gaza.city, gaza.region) == (None, "Gaza Strip")


@pytest.mark.parametrize(
    ("text", "date", "city", "region"),
    [
        (
            "03.03.2025, Berlin: Bundeskanzler Olaf Scholz spricht im Bundestag. Foto: Kay Nietfeld/dpa",
            "2025-03-03",
            "Berlin",
            None,
        ),
        (
            "Bayern, München: Ein Polizist steht vor dem Rathaus. Foto: Sven Hoppe/dpa",
            None,
            "München",
            "Bayern",
        ),
        (
            "Köln (Nordrhein-Westfalen): Fans feiern im Stadion. Foto: Rolf Vennenbernd/dpa",
            None,
            "Köln",
            "Nordrhein-Westfalen",
        ),
        ("Warning: the bridge is closed in Hamburg. Foto: dpa", None, "Hamburg", None),
    ],
)
def test_dpa_datelines(text: str, date: str | None, city: str, region: str | None) -> None:
    caption = parse_caption(text)
    assert (caption.date.iso if caption.date else None) == date
    assert caption.location is not None
    assert (caption.location.city, caption.location.region) == (city, region)
    assert caption.credit is not None and caption.credit.agencies == ["dpa"]


def test_ap_position_markers_are_not_copyright_labels() -> None:
    caption = parse_caption(
        "President Vladimir Putin (C) arrives at the airport in Ube, Japan, on December 15, 2016. (AP)"
    )
    assert caption.credit is not None
    assert caption.credit.raw == "AP"
    assert caption.body is not None and caption.body.startswith("President Vladimir Putin (C) arrives")


def test_markup_left_in_a_scraped_caption() -> None:
    caption = parse_caption(
        'Can you spot the anomaly?<br><small>Photo by <a href="https://example.org/p/1">Ricardo Gomez Angel</a></small>'
    )
    assert caption.credit is not None
    assert caption.credit.raw == "Ricardo Gomez Angel"
    assert caption.credit.photographers == ["Ricardo Gomez Angel"]
    assert caption.body == "Can you spot the anomaly?"


def test_sublocation_is_the_venue_before_the_city() -> None:
    nested = parse_caption(
        "The president speaks in the Roosevelt Room at the White House in Washington, March 3, 2025. (AP)"
    )
    assert nested.location is not None
    assert (nested.location.sublocation, nested.location.city) == (
        "Roosevelt Room at the White House",
        "Washington",
    )
    wall = parse_caption(
        "Worshippers at the Western Wall in Jerusalem, April 7, 2023. Yonatan Sindel/FLASH90"
    )
    assert wall.location is not None and wall.location.sublocation == "Western Wall"
