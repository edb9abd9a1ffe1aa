"""Place names a caption writes: countries (with the abbreviations newsrooms use), regions (US
states in full, AP and postal form; provinces, Länder, territories) and major world cities, in
English and in the German/French/Spanish forms common in European captions.

Plain data, matched after :func:`place_key` (casefold, dots and a leading "the" dropped), so
"U.S.", "US" and "the US" are one key. A caption's own spelling is always what gets reported.
"""

from __future__ import annotations

from functools import lru_cache


def _set(block: str) -> frozenset[str]:
    return frozenset(
        key for key in (place_key(item) for line in block.splitlines() for item in line.split(";")) if key
    )


@lru_cache(maxsize=8192)
def place_key(name: str) -> str:
    key = name.strip().casefold().replace("’", "'").replace(".", "").replace("-", " ")
    key = " ".join(key.split())
    if key.startswith("the "):
        key = key[4:]
    return key


COUNTRIES = _set(
    """Afghanistan;Albania;Algeria;Andorra;Angola;Argentina;Armenia;Australia;Austria;Azerbaijan
    Bahamas;Bahrain;Bangladesh;Barbados;Belarus;Belgium;Belize;Benin;Bhutan;Bolivia;Bosnia;Bosnia and Herzegovina
    Botswana;Brazil;Brunei;Bulgaria;Burkina Faso;Burundi;Cambodia;Cameroon;Canada;Cape Verde;Central African Republic
    Chad;Chile;China;Colombia;Comoros;Congo;Democratic Republic of Congo;DR Congo;DRC;Costa Rica;Croatia;Cuba;Cyprus
    Czech Republic;Czechia;Czechoslovakia;Denmark;Djibouti;Dominica;Dominican Republic;East Timor;Timor-Leste;Ecuador
    Egypt;El Salvador;Equatorial Guinea;Eritrea;Estonia;Eswatini;Ethiopia;Fiji;Finland;France;Gabon;Gambia;Georgia
    Germany;Ghana;Greece;Grenada;Guatemala;Guinea;Guinea-Bissau;Guyana;Haiti;Honduras;Hungary;Iceland;India;Indonesia
    Iran;Iraq;Ireland;Israel;Italy;Ivory Coast;Côte d'Ivoire;Jamaica;Japan;Jordan;Kazakhstan;Kenya;Kiribati;Kosovo
    Kuwait;Kyrgyzstan;Laos;Latvia;Lebanon;Lesotho;Liberia;Libya;Liechtenstein;Lithuania;Luxembourg;Madagascar;Malawi
    Malaysia;Maldives;Mali;Malta;Mauritania;Mauritius;Mexico;Moldova;Monaco;Mongolia;Montenegro;Morocco;Mozambique
    Myanmar;Burma;Namibia;Nauru;Nepal;Netherlands;Holland;New Zealand;Nicaragua;Niger;Nigeria;North Korea;North Macedonia
    Macedonia;Norway;Oman;Pakistan;Palau;Palestine;Palestinian Territories;Panama;Papua New Guinea;Paraguay;Peru
    Philippines;Poland;Portugal;Qatar;Romania;Russia;Russian Federation;Rwanda;Samoa;San Marino;Saudi Arabia;Senegal
    Serbia;Seychelles;Sierra Leone;Singapore;Slovakia;Slovenia;Somalia;South Africa;South Korea;Korea;South Sudan;Spain
    Sri Lanka;Sudan;Suriname;Sweden;Switzerland;Syria;Taiwan;Tajikistan;Tanzania;Thailand;Togo;Tonga
    Trinidad and Tobago;Tunisia;Turkey;Türkiye;Turkmenistan;Tuvalu;Uganda;Ukraine;United Arab Emirates;UAE
    United Kingdom;UK;U.K.;Britain;Great Britain;England;Scotland;Wales;Northern Ireland;United States;U.S.;US;USA
    U.S.A.;United States of America;America;Uruguay;Uzbekistan;Vanuatu;Vatican;Vatican City;Venezuela;Vietnam;Yemen
    Zambia;Zimbabwe;Hong Kong;Macau;Puerto Rico;Greenland;Soviet Union;USSR;Yugoslavia;East Germany;West Germany
    Deutschland;Frankreich;Italien;Spanien;Österreich;Schweiz;Niederlande;Belgien;Polen;Tschechien;Ungarn;Russland
    Ukraine;Türkei;Griechenland;Schweden;Norwegen;Dänemark;Finnland;Großbritannien;Vereinigte Staaten;USA;China
    Japan;Indien;Ägypten;Syrien;Irak;Libanon;Jordanien;Israel;Brasilien;Mexiko;Kanada;Südafrika;Südkorea;Nordkorea
    Frankreich;Allemagne;Espagne;Italie;Royaume-Uni;États-Unis;Etats-Unis;Belgique;Suisse;Autriche;Russie;Chine
    Japon;Inde;Égypte;Syrie;Liban;Israël;Brésil;Mexique;Canada;Afrique du Sud;Maroc;Algérie;Tunisie;Népal
    España;Alemania;Francia;Italia;Estados Unidos;Reino Unido;Brasil;México;Rusia;Norvēģija;Norvēģijā;Vācija;Vācijā"""
)

# US states (full, AP abbreviations, postal codes), Canadian provinces, Australian states, German
# Länder, and other regions captions name after a city.
REGIONS = _set(
    """Alabama;Ala.;AL;Alaska;AK;Arizona;Ariz.;AZ;Arkansas;Ark.;AR;California;Calif.;CA;Colorado;Colo.;CO
    Connecticut;Conn.;CT;Delaware;Del.;DE;Florida;Fla.;FL;Georgia;Ga.;GA;Hawaii;HI;Idaho;ID;Illinois;Ill.;IL
    Indiana;Ind.;IN;Iowa;IA;Kansas;Kan.;Kans.;KS;Kentucky;Ky.;KY;Louisiana;La.;LA;Maine;ME;Maryland;Md.;MD
    Massachusetts;Mass.;MA;Michigan;Mich.;MI;Minnesota;Minn.;MN;Mississippi;Miss.;MS;Missouri;Mo.;MO;Montana;Mont.;MT
    Nebraska;Neb.;Nebr.;NE;Nevada;Nev.;NV;New Hampshire;N.H.;NH;New Jersey;N.J.;NJ;New Mexico;N.M.;NM;New York;N.Y.;NY
    North Carolina;N.C.;NC;North Dakota;N.D.;ND;Ohio;OH;Oklahoma;Okla.;OK;Oregon;Ore.;Oreg.;OR;Pennsylvania;Pa.;Penn.
    PA;Rhode Island;R.I.;RI;South Carolina;S.C.;SC;South Dakota;S.D.;SD;Tennessee;Tenn.;TN;Texas;Tex.;TX;Utah;UT
    Vermont;Vt.;VT;Virginia;Va.;VA;Washington State;Wash.;WA;West Virginia;W.Va.;W. Va.;WV;Wisconsin;Wis.;Wisc.;WI
    Wyoming;Wyo.;WY;D.C.;DC;District of Columbia;Puerto Rico;Guam
    Alberta;British Columbia;B.C.;Manitoba;New Brunswick;Newfoundland;Nova Scotia;Ontario;Ont.;Quebec;Québec;Que.
    Saskatchewan;Yukon;Nunavut;Northwest Territories;Prince Edward Island
    New South Wales;NSW;Victoria;Queensland;Tasmania;Western Australia;South Australia;Northern Territory
    Bavaria;Bayern;Baden-Württemberg;Berlin-Brandenburg;Brandenburg;Hessen;Hesse;Niedersachsen;Lower Saxony
    Nordrhein-Westfalen;North Rhine-Westphalia;NRW;Rheinland-Pfalz;Rhineland-Palatinate;Saarland;Sachsen;Saxony
    Sachsen-Anhalt;Saxony-Anhalt;Schleswig-Holstein;Thüringen;Thuringia;Mecklenburg-Vorpommern
    West Bank;Gaza Strip;Gaza;Golan Heights;Judea and Samaria;Galilee;Negev;Crimea;Donbas;Donbass;Donetsk region
    Luhansk region;Kursk region;Kherson region;Zaporizhzhia region;Kharkiv region;Belgorod region;Kashmir;Tibet
    Xinjiang;Kurdistan;Catalonia;Cataluña;Andalusia;Basque Country;Sicily;Sardinia;Tuscany;Lombardy;Bavaria
    Provence;Brittany;Normandy;Alsace;Corsica;Flanders;Wallonia;Scottish Highlands;Cornwall;Yorkshire;Kent
    Île-de-France;Patagonia;Siberia;Chechnya;Dagestan;Punjab;Kerala;Bengal;West Bengal;Gujarat;Maharashtra
    Tamil Nadu;Uttar Pradesh;Bihar;Sindh;Balochistan;Khyber Pakhtunkhwa;Sinai;North Sinai;Darfur;Tigray;Amhara
    Hokkaido;Okinawa;Kyushu;Guangdong;Sichuan;Hubei;Yunnan;Fujian;Zhejiang;Jiangsu;Shandong;Henan;Hebei"""
)

CITIES = _set(
    """Washington;New York;New York City;NYC;Los Angeles;Chicago;Houston;Phoenix;Philadelphia;San Antonio;San Diego
    Dallas;San Jose;Austin;Jacksonville;Fort Worth;Columbus;Charlotte;San Francisco;Indianapolis;Seattle;Denver;Boston
    El Paso;Nashville;Detroit;Oklahoma City;Portland;Las Vegas;Memphis;Louisville;Baltimore;Milwaukee;Albuquerque
    Tucson;Fresno;Sacramento;Kansas City;Mesa;Atlanta;Omaha;Colorado Springs;Raleigh;Miami;Long Beach;Virginia Beach
    Oakland;Minneapolis;Tulsa;Tampa;Arlington;New Orleans;Wichita;Cleveland;Bakersfield;Aurora;Anaheim;Honolulu
    Santa Ana;Riverside;Corpus Christi;Lexington;Henderson;Stockton;Saint Paul;St. Paul;Cincinnati;St. Louis;Pittsburgh
    Greensboro;Lincoln;Anchorage;Plano;Orlando;Irvine;Newark;Durham;Chula Vista;Toledo;Fort Wayne;St. Petersburg
    Laredo;Jersey City;Chandler;Madison;Lubbock;Scottsdale;Reno;Buffalo;Gilbert;Glendale;North Las Vegas;Winston-Salem
    Chesapeake;Norfolk;Fremont;Garland;Irving;Hialeah;Richmond;Boise;Spokane;Baton Rouge;Tacoma;San Bernardino
    Modesto;Fontana;Des Moines;Moreno Valley;Santa Clarita;Fayetteville;Birmingham;Oxnard;Rochester;Port St. Lucie
    Grand Rapids;Huntsville;Salt Lake City;Frisco;Yonkers;Amarillo;Glendale;Huntington Beach;McKinney;Montgomery
    Augusta;Akron;Little Rock;Tempe;Columbus;Overland Park;Grand Prairie;Tallahassee;Cape Coral;Mobile;Knoxville
    Shreveport;Worcester;Ontario;Vancouver;Sioux Falls;Chattanooga;Brownsville;Fort Lauderdale;Providence;Newport News
    Rancho Cucamonga;Santa Rosa;Peoria;Oceanside;Elk Grove;Salem;Pembroke Pines;Eugene;Garden Grove;Cary;Fort Collins
    Corona;Springfield;Jackson;Alexandria;Hayward;Clarksville;Lakewood;Lancaster;Salinas;Palmdale;Hollywood
    Springfield;Sunnyvale;Macon;Pomona;Escondido;Killeen;Naperville;Joliet;Bellevue;Rockford;Savannah;Paterson
    Torrance;Bridgeport;McAllen;Mesquite;Syracuse;Midland;Pasadena;Murfreesboro;Miramar;Dayton;Fullerton;Olathe
    Orange;Thornton;Roseville;Denton;Waco;Surprise;Carrollton;West Valley City;Charleston;Warren;Hampton;Gainesville
    Visalia;Coral Springs;Columbia;Cedar Rapids;Sterling Heights;New Haven;Stamford;Concord;Elizabeth;Athens;Thousand Oaks
    Lafayette;Simi Valley;Topeka;Norman;Fargo;Wilmington;Abilene;Odessa;Pearland;Victorville;Hartford;Vallejo;Allentown
    Berkeley;Richardson;Arvada;Ann Arbor;Cambridge;Sugar Land;Lansing;Evansville;College Station;Fairfield;Clearwater
    Beaumont;Independence;Provo;West Jordan;Murrieta;Palm Bay;El Monte;Carlsbad;Charleston;Temecula;Boulder;Trenton
    Albany;Annapolis;Harrisburg;Montpelier;Concord;Augusta;Dover;Juneau;Helena;Bismarck;Pierre;Cheyenne;Santa Fe
    Carson City;Olympia;Frankfort;Jefferson City;Springfield;Charleston;Burlington;Manchester;Portsmouth;Nantucket
    Palm Beach;West Palm Beach;Key West;Daytona Beach;Cape Canaveral;Kennedy Space Center;Malibu;Beverly Hills
    Santa Monica;Palo Alto;Mountain View;Cupertino;Menlo Park;Redmond;Aspen;Sundance;Park City;Flint;Ferguson;Selma
    Uvalde;Parkland;Newtown;Charlottesville;Minneapolis-St. Paul;Brooklyn;Manhattan;Queens;The Bronx;Bronx;Staten Island
    Harlem;Hershey;Des Moines;Dearborn;Milwaukee;Green Bay;Williston;Sioux City;Cedar Falls;Iowa City;Davenport
    Toronto;Montreal;Montréal;Vancouver;Ottawa;Calgary;Edmonton;Winnipeg;Quebec City;Halifax;Victoria;Regina;Saskatoon
    Mexico City;Ciudad de México;Guadalajara;Monterrey;Tijuana;Cancun;Cancún;Acapulco;Ciudad Juarez;Havana;La Habana
    San Juan;Santo Domingo;Port-au-Prince;Kingston;Panama City;San José;Managua;Tegucigalpa;San Salvador;Guatemala City
    Bogota;Bogotá;Medellin;Medellín;Cali;Caracas;Quito;Guayaquil;Lima;La Paz;Santiago;Buenos Aires;Montevideo;Asuncion
    Asunción;Sao Paulo;São Paulo;Rio de Janeiro;Rio;Brasilia;Brasília;Salvador;Recife;Porto Alegre;Belo Horizonte;Manaus
    London;Manchester;Liverpool;Birmingham;Leeds;Glasgow;Edinburgh;Cardiff;Belfast;Bristol;Newcastle;Sheffield;Oxford
    Cambridge;Brighton;Nottingham;Leicester;Southampton;Dover;Windsor;Aberdeen;Dundee;Swansea;Derry;Coventry;Salisbury
    Dublin;Cork;Galway;Limerick;Paris;Marseille;Marseilles;Lyon;Toulouse;Nice;Nantes;Strasbourg;Montpellier;Bordeaux
    Lille;Rennes;Reims;Cannes;Calais;Versailles;Le Havre;Grenoble;Dijon;Avignon;Ajaccio;Brussels;Bruxelles;Brüssel
    Antwerp;Antwerpen;Anvers;Ghent;Gent;Bruges;Liège;Amsterdam;Rotterdam;The Hague;Den Haag;Utrecht;Eindhoven
    Luxembourg;Berlin;Hamburg;Munich;München;Cologne;Köln;Frankfurt;Frankfurt am Main;Stuttgart;Düsseldorf;Duesseldorf
    Dortmund;Essen;Leipzig;Bremen;Dresden;Hanover;Hannover;Nuremberg;Nürnberg;Duisburg;Bochum;Wuppertal;Bielefeld
    Bonn;Münster;Karlsruhe;Mannheim;Augsburg;Wiesbaden;Mainz;Kiel;Lübeck;Rostock;Magdeburg;Erfurt;Potsdam;Schwerin
    Freiburg;Heidelberg;Regensburg;Würzburg;Saarbrücken;Aachen;Chemnitz;Halle;Kassel;Braunschweig;Osnabrück;Oldenburg
    Ulm;Göttingen;Trier;Jena;Weimar;Koblenz;Ingolstadt;Darmstadt;Gelsenkirchen;Mönchengladbach;Leverkusen;Wolfsburg
    Vienna;Wien;Graz;Linz;Salzburg;Innsbruck;Klagenfurt;Zurich;Zürich;Geneva;Genf;Genève;Basel;Bern;Berne;Lausanne
    Lucerne;Luzern;Davos;Lugano;Rome;Rom;Roma;Milan;Mailand;Milano;Naples;Neapel;Napoli;Turin;Turin;Torino;Florence
    Florenz;Firenze;Venice;Venedig;Venezia;Bologna;Genoa;Genua;Genova;Palermo;Bari;Catania;Verona;Pisa;Vatican City
    Madrid;Barcelona;Valencia;Seville;Sevilla;Zaragoza;Malaga;Málaga;Bilbao;Palma;Palma de Mallorca;Granada;Pamplona
    San Sebastian;Lisbon;Lissabon;Lisboa;Porto;Athens;Athen;Thessaloniki;Piraeus;Nicosia;Valletta;Copenhagen;Kopenhagen
    København;Aarhus;Oslo;Bergen;Stavanger;Trondheim;Tromsø;Stockholm;Gothenburg;Göteborg;Malmö;Uppsala;Helsinki
    Tampere;Turku;Reykjavik;Reykjavík;Tallinn;Riga;Rīga;Vilnius;Kaunas;Warsaw;Warschau;Warszawa;Krakow;Kraków;Krakau
    Gdansk;Gdańsk;Danzig;Wroclaw;Wrocław;Breslau;Poznan;Poznań;Lodz;Łódź;Kielce;Lublin;Szczecin;Prague;Prag;Praha;Brno
    Bratislava;Budapest;Debrecen;Bucharest;Bukarest;București;Cluj-Napoca;Sofia;Belgrade;Belgrad;Beograd;Zagreb
    Ljubljana;Sarajevo;Mostar;Srebrenica;Podgorica;Skopje;Tirana;Pristina;Priština;Chisinau;Chișinău;Minsk;Kyiv;Kiev
    Kiew;Kyjiw;Kharkiv;Kharkov;Charkiw;Odesa;Odessa;Lviv;Lwiw;Lemberg;Dnipro;Zaporizhzhia;Saporischschja;Mariupol
    Kherson;Cherson;Bakhmut;Donetsk;Luhansk;Sumy;Chernihiv;Mykolaiv;Bucha;Irpin;Avdiivka;Kramatorsk;Sloviansk;Izium
    Moscow;Moskau;Moscou;St Petersburg;Saint Petersburg;Sankt Petersburg;Novosibirsk;Yekaterinburg;Kazan;Sochi
    Volgograd;Kursk;Belgorod;Rostov-on-Don;Kaliningrad;Vladivostok;Grozny;Sevastopol;Simferopol;Tbilisi;Yerevan;Baku
    Istanbul;Ankara;Izmir;Antalya;Gaziantep;Diyarbakir;Jerusalem;Tel Aviv;Tel Aviv-Yafo;Jaffa;Haifa;Beersheba;Beer Sheva
    Eilat;Ashdod;Ashkelon;Netanya;Herzliya;Ramat Gan;Petah Tikva;Rishon Lezion;Holon;Bnei Brak;Nazareth;Tiberias;Safed
    Sderot;Nahariya;Kiryat Shmona;Modiin;Ra'anana;Rehovot;Hebron;Ramallah;Bethlehem;Nablus;Jenin;Jericho;Tulkarm;Huwara
    Gaza City;Khan Younis;Khan Yunis;Rafah;Deir al-Balah;Jabalia;Beirut;Tyre;Sidon;Tripoli;Damascus;Aleppo;Homs;Idlib
    Raqqa;Amman;Aqaba;Baghdad;Basra;Mosul;Erbil;Kirkuk;Fallujah;Tehran;Teheran;Isfahan;Mashhad;Shiraz;Tabriz;Qom;Riyadh
    Jeddah;Mecca;Medina;Dubai;Abu Dhabi;Doha;Kuwait City;Manama;Muscat;Sanaa;Sana'a;Aden;Cairo;Kairo;Le Caire;Alexandria
    Luxor;Sharm el-Sheikh;Tunis;Algiers;Alger;Rabat;Casablanca;Marrakesh;Marrakech;Tangier;Benghazi;Khartoum;Omdurman
    Addis Ababa;Nairobi;Mombasa;Kampala;Kigali;Dar es Salaam;Dodoma;Mogadishu;Juba;Kinshasa;Goma;Lagos;Abuja;Kano;Accra
    Dakar;Abidjan;Bamako;Niamey;Ouagadougou;Johannesburg;Cape Town;Durban;Pretoria;Soweto;Harare;Lusaka;Maputo;Luanda
    Windhoek;Gaborone;Antananarivo;Kabul;Kandahar;Herat;Islamabad;Karachi;Lahore;Peshawar;Rawalpindi;Quetta;New Delhi
    Delhi;Mumbai;Bombay;Kolkata;Calcutta;Chennai;Madras;Bangalore;Bengaluru;Hyderabad;Ahmedabad;Pune;Jaipur;Lucknow
    Srinagar;Amritsar;Varanasi;Agra;Dhaka;Kathmandu;Katmandou;Colombo;Male;Thimphu;Beijing;Peking;Pékin;Shanghai;Hong Kong
    Guangzhou;Shenzhen;Wuhan;Chengdu;Chongqing;Tianjin;Nanjing;Xi'an;Hangzhou;Harbin;Lhasa;Urumqi;Macau;Taipei;Kaohsiung
    Tokyo;Tokio;Osaka;Kyoto;Yokohama;Nagoya;Sapporo;Kobe;Fukuoka;Hiroshima;Nagasaki;Sendai;Fukushima;Ube;Seoul;Busan
    Incheon;Pyongyang;Ulaanbaatar;Hanoi;Ho Chi Minh City;Saigon;Bangkok;Phuket;Chiang Mai;Yangon;Rangoon;Naypyidaw
    Phnom Penh;Vientiane;Kuala Lumpur;Singapore;Jakarta;Bali;Surabaya;Manila;Quezon City;Davao;Sydney;Melbourne;Brisbane
    Perth;Adelaide;Canberra;Hobart;Darwin;Gold Coast;Auckland;Wellington;Christchurch;Port Moresby;Suva;Tashkent;Almaty
    Astana;Bishkek;Dushanbe;Ashgabat;Davos;Strasbourg;Monaco;Monte Carlo;San Marino;Andorra la Vella;Vaduz;Gibraltar
    Sarajevo;Hiroshima;Chernobyl;Auschwitz;Dachau;Normandy;Lourdes;Assisi;Pompeii;Marbella;Ibiza;Mallorca;Cologne"""
)

# Words that look like places after "in" but are not ("in March", "in The …").
NOT_PLACES = _set(
    """January;February;March;April;May;June;July;August;September;October;November;December;Jan;Feb;Mar;Apr;Jun
    Jul;Aug;Sep;Sept;Oct;Nov;Dec;Monday;Tuesday;Wednesday;Thursday;Friday;Saturday;Sunday;Januar;Februar;März;Mai
    Juni;Juli;Oktober;Dezember;The;A;An;This;That;His;Her;Their;Our;Its;Which;What;Congress;Parliament;Court;Senate
    Mr;Mrs;Ms;Dr;God;English;German;French;Spanish;Hebrew;Arabic;Photo;Image;Picture;Reuters;AP;AFP;Getty Images;Getty
    Front;Addition;Response;Support;Protest;Memory;Honor;Honour;Order;Place;Time;Love;Action;Office;Power;Charge"""
)
