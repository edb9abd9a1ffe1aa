"""MM4xx: the location — missing, or disagreeing with the file's city and country.

Place names are compared after normalisation: case, accents, dots and a leading "the" are
ignored, common short forms and exonyms map to one name (US = U.S. = United States of America,
UK = Britain = England for the country; Kiev = Kyiv, München = Munich), and ISO 3166 country codes
in the file (``US``, ``USA``) count as their country.
"""

from __future__ import annotations

from collections.abc import Iterator

from mediameta.checks.context import CheckContext
from mediameta.checks.registry import Example, Rule, register
from mediameta.checks.rules._support import fold, targets
from mediameta.checks.rules.caption_text import stand_in
from mediameta.models import Finding, Location


def _table(rows: str) -> dict[str, str]:
    """``canonical: alias; alias`` lines → folded alias → canonical."""
    table: dict[str, str] = {}
    for row in rows.strip().splitlines():
        canonical, _, aliases = row.partition(":")
        key = fold(canonical)
        table[key] = key
        for alias in aliases.split(";"):
            if alias.strip():
                table[fold(alias)] = key
    return table


# Country names, short forms, exonyms and ISO 3166 alpha-2/alpha-3 codes.
COUNTRY_ALIASES = _table(
    """
    United States: US; U.S.; USA; U.S.A.; United States of America; America; Vereinigte Staaten; États-Unis; Estados Unidos
    United Kingdom: UK; U.K.; GB; GBR; Britain; Great Britain; England; Scotland; Wales; Northern Ireland; Grossbritannien; Großbritannien; Royaume-Uni
    Israel: IL; ISR
    Palestinian Territories: PS; PSE; Palestine; West Bank; Gaza Strip; Palestinian Territory
    Ukraine: UA; UKR
    Russia: RU; RUS; Russian Federation; Russland; Russie
    Germany: DE; DEU; Deutschland; Allemagne; Alemania
    France: FR; FRA; Frankreich; Francia
    Italy: IT; ITA; Italien; Italia; Italie
    Spain: ES; ESP; Spanien; España; Espagne
    Netherlands: NL; NLD; Holland; The Netherlands; Niederlande; Pays-Bas
    Switzerland: CH; CHE; Schweiz; Suisse; Svizzera
    Austria: AT; AUT; Österreich; Autriche
    Belgium: BE; BEL; Belgien; Belgique
    Poland: PL; POL; Polen; Pologne
    Czech Republic: CZ; CZE; Czechia; Tschechien
    China: CN; CHN; People's Republic of China; PRC
    Taiwan: TW; TWN
    Japan: JP; JPN; Japon
    South Korea: KR; KOR; Korea; Republic of Korea; Südkorea
    North Korea: KP; PRK; DPRK
    India: IN; IND; Indien; Inde
    Pakistan: PK; PAK
    Iran: IR; IRN; Islamic Republic of Iran
    Iraq: IQ; IRQ; Irak
    Syria: SY; SYR; Syrien; Syrie
    Lebanon: LB; LBN; Libanon; Liban
    Jordan: JO; JOR; Jordanien; Jordanie
    Egypt: EG; EGY; Ägypten; Égypte; Egipto
    Saudi Arabia: SA; SAU; Saudi-Arabien; Arabie saoudite
    United Arab Emirates: AE; ARE; UAE; U.A.E.; Emirates; Vereinigte Arabische Emirate
    Qatar: QA; QAT; Katar
    Turkey: TR; TUR; Türkiye; Turkiye; Türkei; Turquie
    Greece: GR; GRC; Griechenland; Grèce
    Canada: CA; CAN; Kanada
    Mexico: MX; MEX; México; Mexiko; Mexique
    Brazil: BR; BRA; Brasil; Brasilien; Brésil
    Argentina: AR; ARG; Argentinien; Argentine
    Australia: AU; AUS; Australien; Australie
    New Zealand: NZ; NZL; Neuseeland
    South Africa: ZA; ZAF; Südafrika; Afrique du Sud
    Ireland: IE; IRL; Irland; Irlande; Republic of Ireland
    Sweden: SE; SWE; Schweden; Suède
    Norway: NO; NOR; Norwegen; Norvège
    Denmark: DK; DNK; Dänemark; Danemark
    Finland: FI; FIN; Finnland; Finlande
    Portugal: PT; PRT
    Hungary: HU; HUN; Ungarn; Hongrie
    Romania: RO; ROU; Rumänien; Roumanie
    Belarus: BY; BLR; Weissrussland; Weißrussland
    Democratic Republic of the Congo: CD; COD; DR Congo; DRC; Democratic Republic of Congo; Congo-Kinshasa
    Ivory Coast: CI; CIV; Côte d'Ivoire; Cote d'Ivoire
    Myanmar: MM; MMR; Burma
    Vatican City: VA; VAT; Vatican; Holy See
    """
)

# City exonyms and alternative spellings.
CITY_ALIASES = _table(
    """
    Kyiv: Kiev; Kiew
    Jerusalem: Al-Quds; Yerushalayim
    Tel Aviv: Tel Aviv-Yafo; Tel Aviv-Jaffa; Tel-Aviv
    Washington: Washington D.C.; Washington DC; Washington, D.C.
    New York: New York City; NYC; New York City, New York
    Munich: München; Muenchen
    Cologne: Köln; Koeln
    Vienna: Wien; Vienne
    Geneva: Genf; Genève
    Zurich: Zürich
    Moscow: Moskau; Moscou
    Rome: Rom; Roma
    Prague: Prag; Praha
    Warsaw: Warschau; Warszawa; Varsovie
    Brussels: Brüssel; Bruxelles
    Lisbon: Lissabon; Lisboa
    Copenhagen: Kopenhagen; København
    Athens: Athen; Athènes
    Beijing: Peking
    Mumbai: Bombay
    Kolkata: Calcutta
    Chennai: Madras
    Ho Chi Minh City: Saigon
    Mexico City: Ciudad de México
    The Hague: Den Haag
    Gaza: Gaza City
    Kharkiv: Kharkov
    Odesa: Odessa
    Lviv: Lvov; Lemberg
    """
)


def country_key(name: str) -> str:
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    return COUNTRY_ALIASES.get(key, key)


def city_key(name: str) -> str:
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    return CITY_ALIASES.get(key, key)


def same_city(first: str, second: str) -> bool:
    """Same city after normalisation, or one name the start of the other ("Gaza" / "Gaza City")."""
    a, b = city_key(first), city_key(second)
    if not a or not b:
        return True
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short + " ")


def same_country(first: str, second: str) -> bool:
    a, b = country_key(first), country_key(second)
    return not a or not b or a == b


def _empty(location: Location | None) -> bool:
    return location is None or not any(
        (location.sublocation, location.city, location.region, location.country)
    )


@register
class MissingLocation(Rule):
    """Caption states no location (city or country) for the picture.

    "Where" is one of the four facts a caption owes the reader. Parsed from the caption's text:
    a dateline ("JERUSALEM -"), "in Haifa, Israel", a venue followed by a city.

    Fails: ``Protesters march, March 3, 2025. REUTERS/Amir Cohen``.
    Passes: ``Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen``.
    """

    code = "MM401"
    name = "missing-location"
    severity = "info"
    examples = (
        Example(
            "nowhere",
            fails=True,
            images={"a.jpg": {"description": "Protesters march, March 3, 2025. REUTERS/Amir Cohen"}},
        ),
        Example(
            "city and country",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Protesters march in Tel Aviv, Israel, March 3, 2025. REUTERS/Amir Cohen"
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            if (
                _empty(target.caption.location)
                and target.caption.text.strip()
                and not stand_in(target.caption.text)
            ):
                yield self.finding("caption states no location", **target.where)


@register
class LocationMismatch(Rule):
    """Caption's city or country disagrees with the file's city / country (or country code).

    Normalised before comparing: ``US`` = ``U.S.`` = ``United States``, ``Britain`` = ``United
    Kingdom``, ``Kiev`` = ``Kyiv``; a city that starts the other's name agrees ("Gaza" / "Gaza City").
    Silent when either side lacks the value.

    Fails: caption ``... in Haifa, Israel ...`` on a file whose city is ``Tel Aviv``.
    Passes: caption ``... in Washington, U.S. ...`` on a file with city ``Washington`` and country code ``USA``.
    """

    code = "MM402"
    name = "location-mismatch"
    severity = "warning"
    examples = (
        Example(
            "another city",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Firefighters battle a blaze in Haifa, Israel, May 3, 2025. REUTERS/Amir Cohen",
                    "city": "Tel Aviv",
                    "country": "Israel",
                }
            },
        ),
        Example(
            "another country",
            fails=True,
            images={
                "a.jpg": {
                    "description": "Soldiers patrol in Kharkiv, Ukraine, May 3, 2025. REUTERS/Gleb Garanich",
                    "country": "Russia",
                }
            },
        ),
        Example(
            "same place, other spellings",
            fails=False,
            images={
                "a.jpg": {
                    "description": "Lawmakers arrive at the Capitol in Washington, U.S., March 3, 2025. "
                    "REUTERS/Leah Millis",
                    "city": "Washington",
                    "country_code": "USA",
                }
            },
        ),
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for target in targets(ctx):
            location, record = target.caption.location, target.record
            if location is None or record is None:
                continue
            problems: list[str] = []
            if location.city and record.city and not same_city(location.city, record.city):
                near = [v for v in (record.sublocation, record.state) if v]
                if not any(same_city(location.city, value) for value in near):
                    problems.append(f"city '{location.city}' vs the file's '{record.city}'")
            if location.country:
                if record.country and not same_country(location.country, record.country):
                    problems.append(f"country '{location.country}' vs the file's '{record.country}'")
                elif (
                    not record.country
                    and record.country_code
                    and country_key(record.country_code) != fold(record.country_code)
                    and not same_country(location.country, record.country_code)
                ):
                    problems.append(
                        f"country '{location.country}' vs the file's country code '{record.country_code}'"
                    )
            if problems:
                yield self.finding(
                    "caption location disagrees with the file: " + "; ".join(problems), **target.where
                )
