"""Static vocabularies: countries, names, cities, domains, products, devices, CRM labels."""

from __future__ import annotations

import unicodedata

# ISO-2 -> (weight, currency, name group, GA4 country name, tax rate, phone (nsn_len, prefixes,
# national groups), email domains)
COUNTRIES: dict[str, dict] = {
    "US": {"w": 0.50, "cur": "USD", "names": "en", "ga4": "United States", "tax": 0.07,
               "phone": (10, None, (3, 3, 4)),
               "domains": ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com",
                        "hotmail.com", "comcast.net")},
    "GB": {"w": 0.12, "cur": "GBP", "names": "en", "ga4": "United Kingdom", "tax": 0.20,
               "phone": (10, ("20", "161", "121", "7700", "7911", "7400"), (2, 4, 4)),
               "domains": ("gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk",
                        "outlook.com")},
    "DE": {"w": 0.08, "cur": "EUR", "names": "de", "ga4": "Germany", "tax": 0.19,
               "phone": (11, ("151", "160", "170", "176"), (3, 8)),
               "domains": ("gmx.de", "web.de", "t-online.de", "gmail.com", "outlook.de")},
    "FR": {"w": 0.05, "cur": "EUR", "names": "fr", "ga4": "France", "tax": 0.20,
               "phone": (9, ("6", "7", "1"), (1, 2, 2, 2, 2)),
               "domains": ("orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr")},
    "CA": {"w": 0.05, "cur": "CAD", "names": "en", "ga4": "Canada", "tax": 0.13,
               "phone": (10, None, (3, 3, 4)),
               "domains": ("gmail.com", "hotmail.com", "rogers.com", "shaw.ca", "outlook.com")},
    "AU": {"w": 0.04, "cur": "AUD", "names": "en", "ga4": "Australia", "tax": 0.10,
               "phone": (9, ("4", "2", "3"), (3, 3, 3)),
               "domains": ("gmail.com", "bigpond.com", "outlook.com", "optusnet.com.au")},
    "NL": {"w": 0.02, "cur": "EUR", "names": "nl", "ga4": "Netherlands", "tax": 0.21,
               "phone": (9, ("6", "20"), (1, 8)),
               "domains": ("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl")},
    "ES": {"w": 0.02, "cur": "EUR", "names": "es", "ga4": "Spain", "tax": 0.21,
               "phone": (9, ("6", "91"), (3, 3, 3)),
               "domains": ("gmail.com", "hotmail.es", "telefonica.net", "yahoo.es")},
    "IT": {"w": 0.02, "cur": "EUR", "names": "it", "ga4": "Italy", "tax": 0.22,
               "phone": (10, ("3",), (3, 3, 4)),
               "domains": ("gmail.com", "libero.it", "virgilio.it", "tiscali.it")},
    "SE": {"w": 0.015, "cur": "SEK", "names": "sv", "ga4": "Sweden", "tax": 0.25,
               "phone": (9, ("70", "72", "8"), (2, 3, 2, 2)),
               "domains": ("gmail.com", "telia.com", "hotmail.se", "outlook.com")},
    "CH": {"w": 0.015, "cur": "CHF", "names": "de", "ga4": "Switzerland", "tax": 0.081,
               "phone": (9, ("79", "78", "44"), (2, 3, 2, 2)),
               "domains": ("bluewin.ch", "gmail.com", "gmx.ch", "sunrise.ch")},
    "JP": {"w": 0.015, "cur": "JPY", "names": "ja", "ga4": "Japan", "tax": 0.10,
               "phone": (10, ("90", "80", "3"), (2, 4, 4)),
               "domains": ("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com")},
    "IE": {"w": 0.01, "cur": "EUR", "names": "en", "ga4": "Ireland", "tax": 0.23,
               "phone": (9, ("8", "1"), (2, 3, 4)),
               "domains": ("gmail.com", "eircom.net", "hotmail.com")},
    "AT": {"w": 0.01, "cur": "EUR", "names": "de", "ga4": "Austria", "tax": 0.20,
               "phone": (10, ("664", "699", "1"), (3, 7)),
               "domains": ("gmx.at", "aon.at", "gmail.com")},
    "BE": {"w": 0.01, "cur": "EUR", "names": "nl", "ga4": "Belgium", "tax": 0.21,
               "phone": (9, ("4", "2"), (3, 2, 2, 2)),
               "domains": ("skynet.be", "telenet.be", "gmail.com")},
    "NZ": {"w": 0.005, "cur": "USD", "names": "en", "ga4": "New Zealand", "tax": 0.15,
               "phone": (9, ("21", "9"), (2, 3, 4)), "domains": ("gmail.com", "xtra.co.nz")},
    "DK": {"w": 0.005, "cur": "EUR", "names": "sv", "ga4": "Denmark", "tax": 0.25,
               "phone": (8, ("2", "4"), (2, 2, 2, 2)), "domains": ("gmail.com", "jubii.dk")},
    "NO": {"w": 0.005, "cur": "EUR", "names": "sv", "ga4": "Norway", "tax": 0.25,
               "phone": (8, ("4", "9"), (3, 2, 3)), "domains": ("gmail.com", "online.no")},
    "MX": {"w": 0.005, "cur": "USD", "names": "es", "ga4": "Mexico", "tax": 0.16,
               "phone": (10, ("55", "33"), (2, 4, 4)), "domains": ("gmail.com", "hotmail.com")},
    "BR": {"w": 0.005, "cur": "USD", "names": "es", "ga4": "Brazil", "tax": 0.17,
               "phone": (11, ("11", "21"), (2, 5, 4)), "domains": ("gmail.com", "uol.com.br")},
    "SG": {"w": 0.004, "cur": "USD", "names": "en", "ga4": "Singapore", "tax": 0.09,
               "phone": (8, ("8", "9"), (4, 4)), "domains": ("gmail.com", "singnet.com.sg")},
    "IN": {"w": 0.004, "cur": "USD", "names": "en", "ga4": "India", "tax": 0.18,
               "phone": (10, ("98", "99"), (5, 5)), "domains": ("gmail.com", "rediffmail.com")},
    "PL": {"w": 0.004, "cur": "EUR", "names": "de", "ga4": "Poland", "tax": 0.23,
               "phone": (9, ("5", "6"), (3, 3, 3)), "domains": ("wp.pl", "onet.pl", "gmail.com")},
    "PT": {"w": 0.003, "cur": "EUR", "names": "es", "ga4": "Portugal", "tax": 0.23,
               "phone": (9, ("91", "93"), (3, 3, 3)), "domains": ("sapo.pt", "gmail.com")},
    "FI": {"w": 0.003, "cur": "EUR", "names": "sv", "ga4": "Finland", "tax": 0.24,
               "phone": (9, ("40", "50"), (2, 3, 4)), "domains": ("gmail.com", "elisa.fi")},
    "KR": {"w": 0.003, "cur": "USD", "names": "ja", "ga4": "South Korea", "tax": 0.10,
               "phone": (10, ("10",), (2, 4, 4)), "domains": ("naver.com", "gmail.com")},
}

# city, region, postcode prefix, postcode suffix kind, UTC offset (minutes, standard), DST rule
CITIES: dict[str, list[tuple[str, str, str, str, int, str]]] = {
    "US": [("New York", "NY", "100", "d2", -300, "us"), ("Brooklyn", "NY", "112", "d2", -300, "us"),
           ("Boston", "MA", "021", "d2", -300, "us"), ("Philadelphia", "PA", "191", "d2", -300, "us"),
           ("Atlanta", "GA", "303", "d2", -300, "us"), ("Miami", "FL", "331", "d2", -300, "us"),
           ("Chicago", "IL", "606", "d2", -360, "us"), ("Houston", "TX", "770", "d2", -360, "us"),
           ("Austin", "TX", "787", "d2", -360, "us"), ("Minneapolis", "MN", "554", "d2", -360, "us"),
           ("Denver", "CO", "802", "d2", -420, "us"), ("Phoenix", "AZ", "850", "d2", -420, "none"),
           ("Los Angeles", "CA", "900", "d2", -480, "us"),
           ("San Francisco", "CA", "941", "d2", -480, "us"),
           ("Palo Alto", "CA", "943", "d2", -480, "us"), ("Seattle", "WA", "981", "d2", -480, "us"),
           ("Portland", "OR", "972", "d2", -480, "us")],
    "GB": [("London", "England", "SW1A ", "gb", 0, "eu"), ("London", "England", "E1 ", "gb", 0, "eu"),
           ("Manchester", "England", "M1 ", "gb", 0, "eu"),
           ("Birmingham", "England", "B1 ", "gb", 0, "eu"),
           ("Edinburgh", "Scotland", "EH1 ", "gb", 0, "eu"),
           ("Glasgow", "Scotland", "G1 ", "gb", 0, "eu"), ("Cardiff", "Wales", "CF10 ", "gb", 0, "eu"),
           ("Bristol", "England", "BS1 ", "gb", 0, "eu"), ("Leeds", "England", "LS1 ", "gb", 0, "eu")],
    "DE": [("Berlin", "Berlin", "101", "d2", 60, "eu"), ("München", "Bayern", "803", "d2", 60, "eu"),
           ("Hamburg", "Hamburg", "203", "d2", 60, "eu"), ("Köln", "Nordrhein-Westfalen", "506", "d2", 60, "eu"),
           ("Frankfurt am Main", "Hessen", "603", "d2", 60, "eu"),
           ("Stuttgart", "Baden-Württemberg", "701", "d2", 60, "eu"),
           ("Leipzig", "Sachsen", "041", "d2", 60, "eu")],
    "FR": [("Paris", "Île-de-France", "750", "d2", 60, "eu"), ("Lyon", "Auvergne-Rhône-Alpes", "690", "d2", 60, "eu"),
           ("Marseille", "Provence-Alpes-Côte d'Azur", "130", "d2", 60, "eu"),
           ("Toulouse", "Occitanie", "310", "d2", 60, "eu"), ("Bordeaux", "Nouvelle-Aquitaine", "330", "d2", 60, "eu"),
           ("Lille", "Hauts-de-France", "590", "d2", 60, "eu")],
    "CA": [("Toronto", "ON", "M5V ", "ca", -300, "us"), ("Montreal", "QC", "H2X ", "ca", -300, "us"),
           ("Vancouver", "BC", "V6B ", "ca", -480, "us"), ("Calgary", "AB", "T2P ", "ca", -420, "us"),
           ("Ottawa", "ON", "K1P ", "ca", -300, "us")],
    "AU": [("Sydney", "NSW", "20", "d2", 600, "au"), ("Melbourne", "VIC", "30", "d2", 600, "au"),
           ("Brisbane", "QLD", "40", "d2", 600, "none"), ("Perth", "WA", "60", "d2", 480, "none"),
           ("Adelaide", "SA", "50", "d2", 570, "au")],
    "NL": [("Amsterdam", "Noord-Holland", "10", "nl", 60, "eu"), ("Rotterdam", "Zuid-Holland", "30", "nl", 60, "eu"),
           ("Utrecht", "Utrecht", "35", "nl", 60, "eu"), ("Den Haag", "Zuid-Holland", "25", "nl", 60, "eu")],
    "ES": [("Madrid", "Comunidad de Madrid", "280", "d2", 60, "eu"), ("Barcelona", "Cataluña", "080", "d2", 60, "eu"),
           ("Valencia", "Comunidad Valenciana", "460", "d2", 60, "eu"),
           ("Sevilla", "Andalucía", "410", "d2", 60, "eu")],
    "IT": [("Roma", "Lazio", "001", "d2", 60, "eu"), ("Milano", "Lombardia", "201", "d2", 60, "eu"),
           ("Torino", "Piemonte", "101", "d2", 60, "eu"), ("Napoli", "Campania", "801", "d2", 60, "eu")],
    "SE": [("Stockholm", "Stockholms län", "11", "se", 60, "eu"), ("Göteborg", "Västra Götaland", "41", "se", 60, "eu"),
           ("Malmö", "Skåne", "21", "se", 60, "eu")],
    "CH": [("Zürich", "ZH", "80", "d2", 60, "eu"), ("Genève", "GE", "12", "d2", 60, "eu"),
           ("Basel", "BS", "40", "d2", 60, "eu"), ("Bern", "BE", "30", "d2", 60, "eu")],
    "JP": [("Tokyo", "Tokyo", "100-", "d4", 540, "none"), ("Osaka", "Osaka", "530-", "d4", 540, "none"),
           ("Yokohama", "Kanagawa", "220-", "d4", 540, "none"), ("Kyoto", "Kyoto", "600-", "d4", 540, "none")],
    "IE": [("Dublin", "Leinster", "D0", "ie", 0, "eu"), ("Cork", "Munster", "T1", "ie", 0, "eu"),
           ("Galway", "Connacht", "H9", "ie", 0, "eu")],
    "AT": [("Wien", "Wien", "10", "d2", 60, "eu"), ("Graz", "Steiermark", "80", "d2", 60, "eu"),
           ("Linz", "Oberösterreich", "40", "d2", 60, "eu")],
    "BE": [("Brussel", "Brussels", "10", "d2", 60, "eu"), ("Antwerpen", "Vlaanderen", "20", "d2", 60, "eu"),
           ("Gent", "Vlaanderen", "90", "d2", 60, "eu")],
    "NZ": [("Auckland", "Auckland", "10", "d2", 720, "none"), ("Wellington", "Wellington", "60", "d2", 720, "none")],
    "DK": [("København", "Hovedstaden", "1", "d3", 60, "eu"), ("Aarhus", "Midtjylland", "8", "d3", 60, "eu")],
    "NO": [("Oslo", "Oslo", "0", "d3", 60, "eu"), ("Bergen", "Vestland", "5", "d3", 60, "eu")],
    "MX": [("Ciudad de México", "CDMX", "06", "d3", -360, "none"),
           ("Guadalajara", "Jalisco", "44", "d3", -360, "none")],
    "BR": [("São Paulo", "SP", "01", "d3", -180, "none"), ("Rio de Janeiro", "RJ", "20", "d3", -180, "none")],
    "SG": [("Singapore", "Singapore", "01", "d4", 480, "none")],
    "IN": [("Mumbai", "Maharashtra", "400", "d3", 330, "none"), ("Bengaluru", "Karnataka", "560", "d3", 330, "none")],
    "PL": [("Warszawa", "Mazowieckie", "00-", "d3", 60, "eu"), ("Kraków", "Małopolskie", "30-", "d3", 60, "eu")],
    "PT": [("Lisboa", "Lisboa", "1000-", "d3", 0, "eu"), ("Porto", "Porto", "4000-", "d3", 0, "eu")],
    "FI": [("Helsinki", "Uusimaa", "001", "d2", 120, "eu"), ("Tampere", "Pirkanmaa", "331", "d2", 120, "eu")],
    "KR": [("Seoul", "Seoul", "04", "d3", 540, "none"), ("Busan", "Busan", "48", "d3", 540, "none")],
}

FIRST_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("Emma", "Olivia", "Ava", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Harper",
            "Evelyn", "Abigail", "Emily", "Sarah", "Jessica", "Ashley", "Megan", "Hannah", "Grace",
            "Chloe", "Lucy", "Jennifer", "Linda", "Karen", "Nancy", "Laura", "Rachel", "Zoë"),
           ("Liam", "Noah", "Oliver", "James", "William", "Benjamin", "Lucas", "Henry", "Jack",
            "Michael", "David", "John", "Robert", "Daniel", "Matthew", "Joseph", "Thomas", "Ethan",
            "Ryan", "Andrew", "Chris", "Kevin", "Brian", "George", "Harry", "Samuel", "Sean")),
    "de": (("Anna", "Lena", "Lea", "Hannah", "Laura", "Julia", "Sarah", "Katharina", "Sophie",
            "Marie", "Johanna", "Sabine", "Petra", "Claudia", "Jana", "Franziska", "Jülide"),
           ("Lukas", "Leon", "Jonas", "Felix", "Maximilian", "Paul", "Tobias", "Stefan", "Jürgen",
            "Andreas", "Michael", "Thomas", "Florian", "Sebastian", "Matthias", "Niklas")),
    "fr": (("Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Marine", "Claire",
            "Élodie", "Nathalie", "Céline", "Pauline"),
           ("Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Thomas", "Nicolas", "Julien",
            "Antoine", "Pierre", "Mathieu", "François", "Étienne")),
    "nl": (("Emma", "Sophie", "Julia", "Anna", "Lisa", "Eva", "Sanne", "Fleur", "Lotte", "Anouk"),
           ("Daan", "Sem", "Lars", "Thijs", "Bram", "Ruben", "Jeroen", "Bas", "Sander", "Pieter")),
    "es": (("Lucía", "María", "Paula", "Sofía", "Laura", "Carmen", "Ana", "Elena", "Marta", "Isabel"),
           ("Hugo", "Pablo", "Daniel", "Alejandro", "Javier", "Carlos", "Sergio", "Diego", "Jorge",
            "Álvaro")),
    "it": (("Giulia", "Sofia", "Aurora", "Alice", "Chiara", "Francesca", "Sara", "Martina", "Elena"),
           ("Leonardo", "Francesco", "Alessandro", "Lorenzo", "Matteo", "Andrea", "Marco", "Luca",
            "Giuseppe")),
    "sv": (("Alice", "Maja", "Elsa", "Astrid", "Ebba", "Ingrid", "Karin", "Sara", "Emma", "Linnea"),
           ("Oscar", "Lucas", "William", "Elias", "Hugo", "Erik", "Lars", "Anders", "Johan", "Nils")),
    "ja": (("Yui", "Hina", "Sakura", "Aoi", "Yuna", "Mei", "Haruka", "Misaki", "Yuki", "Nanami"),
           ("Haruto", "Sota", "Yuto", "Riku", "Kaito", "Hiroshi", "Takeshi", "Kenji", "Daiki", "Ren")),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
           "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
           "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
           "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Evans",
           "O'Brien", "Murphy", "Kelly", "Patel", "Nguyen", "Garcia", "Kim", "Singh", "Cohen"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann",
           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange"),
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
           "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux"),
    "nl": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
           "Smit", "Meijer", "de Boer", "Mulder", "Peeters", "Maes", "Willems"),
    "es": ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
           "Gómez", "Martín", "Silva", "Santos", "Oliveira", "Costa", "Ferreira"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti"),
    "sv": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
           "Persson", "Hansen", "Jensen", "Nielsen", "Virtanen", "Korhonen"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
           "Kobayashi", "Kato", "Kim", "Lee", "Park"),
}


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form for email local parts (Müller -> muller, O'Brien -> obrien)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


GENDER_TEXT = {  # person gender -> free-text spellings in the CRM
    "F": ("F", "female", "Female", "f", "FEMALE", "woman"),
    "M": ("M", "male", "Male", "m", "MALE", "man"),
    "X": ("X", "non-binary", "diverse", "other"),
}
GENDER_UNKNOWN_TEXT = ("", "unknown", "U", "prefer not to say")
INCOME_BANDS = ("<25k", "25-50k", "50-100k", "100-200k", "200k+")
JOB_TITLES = ("Teacher", "Nurse", "Software Engineer", "Accountant", "Sales Manager", "Designer",
              "Student", "Retired", "Marketing Manager", "Consultant", "Engineer", "Pharmacist",
              "Project Manager", "Chef", "Lawyer", "Physician", "Architect", "Data Analyst",
              "Administrator", "Electrician", "Writer", "Photographer", "Self-employed")
B2B_JOB_TITLES = ("Head of Procurement", "Office Manager", "Purchasing Manager", "Operations Director",
                  "CEO", "Facilities Manager", "HR Manager", "Buyer", "Event Coordinator")

COMPANY_WORDS = ("Northwind", "Blue Harbor", "Summit", "Evergreen", "Ironbridge", "Maple", "Orbit",
                 "Granite", "Silverline", "Brightwater", "Redwood", "Pioneer", "Atlas", "Nimbus",
                 "Cobalt", "Juniper", "Falcon", "Harbourview", "Lighthouse", "Quarry")
COMPANY_SUFFIX = {"US": "Inc.", "GB": "Ltd", "DE": "GmbH", "FR": "SARL", "NL": "B.V.", "CA": "Inc.",
                  "AU": "Pty Ltd", "ES": "S.L.", "IT": "S.r.l.", "SE": "AB", "CH": "AG", "JP": "K.K.",
                  "AT": "GmbH", "BE": "NV", "IE": "Ltd"}
COMPANY_KIND = ("Traders", "Outfitters", "Consulting", "Logistics", "Studios", "Hospitality",
                "Retail Group", "Partners", "Labs", "Events", "Health", "Education")
INDUSTRIES = ("Retail", "Hospitality", "Technology", "Healthcare", "Education", "Manufacturing",
              "Professional Services", "Construction", "Media", "Non-profit")
EMPLOYEE_BANDS = ("1-10", "11-50", "51-200", "201-1000", "1000+")
REVENUE_BANDS = ("<1M", "1-10M", "10-100M", "100M+")
TECHNOLOGIES = (("Shopify", "ecommerce"), ("Magento", "ecommerce"), ("WooCommerce", "ecommerce"),
                ("Salesforce", "crm"), ("HubSpot", "crm"), ("Pipedrive", "crm"),
                ("Marketo", "marketing_automation"), ("Klaviyo", "marketing_automation"),
                ("Mailchimp", "marketing_automation"), ("Snowflake", "data_warehouse"),
                ("BigQuery", "data_warehouse"), ("Redshift", "data_warehouse"),
                ("Google Analytics", "analytics"), ("Mixpanel", "analytics"),
                ("Amplitude", "analytics"), ("Stripe", "payments"), ("Adyen", "payments"),
                ("PayPal", "payments"), ("Zendesk", "support"), ("Intercom", "support"))

SURVEY_QUESTIONS = {
    "interests": ("outdoor", "running", "home_decor", "fashion", "tech", "reading", "cooking",
                  "travel", "fitness", "beauty"),
    "values": ("sustainability", "quality", "price", "local", "craftsmanship", "convenience"),
    "motivations": ("gift", "self_reward", "replacement", "new_hobby", "deal", "trend"),
}
CONSENT_CHANNELS = ("email", "sms", "phone", "push", "ads")
CONSENT_PURPOSES = ("marketing", "analytics", "personalization")
TICKET_CATEGORIES = ("delivery", "returns", "billing", "product_question", "account", "complaint")
TICKET_STATUSES = ("open", "pending", "solved", "closed")

# ------------------------------------------------------------------------------ catalogue
PRODUCT_TYPES = {  # type -> (share of catalogue, median USD price, log-sd)
    "apparel": (0.26, 55.0, 0.55), "footwear": (0.12, 110.0, 0.40),
    "accessories": (0.14, 32.0, 0.60), "home": (0.14, 45.0, 0.70),
    "beauty": (0.10, 24.0, 0.50), "outdoor": (0.12, 95.0, 0.80),
    "electronics": (0.06, 160.0, 0.75), "books": (0.06, 18.0, 0.35),
}
PRODUCT_NOUNS = {
    "apparel": ("Crew Sweater", "Linen Shirt", "Rain Jacket", "Chino Pants", "Hoodie", "T-Shirt",
                "Denim Jacket", "Wool Coat", "Dress", "Cardigan", "Fleece", "Polo"),
    "footwear": ("Trail Runner", "Leather Boot", "Canvas Sneaker", "Sandal", "Loafer", "Hiking Boot"),
    "accessories": ("Beanie", "Scarf", "Leather Belt", "Tote Bag", "Wallet", "Sunglasses", "Cap",
                    "Backpack", "Gloves"),
    "home": ("Ceramic Mug", "Throw Blanket", "Candle", "Linen Napkins", "Cushion", "Vase",
             "Cutting Board", "Bath Towel"),
    "beauty": ("Hand Cream", "Lip Balm", "Face Serum", "Shampoo Bar", "Body Wash", "Sunscreen"),
    "outdoor": ("Tent", "Sleeping Bag", "Camp Stove", "Trekking Poles", "Daypack", "Water Bottle",
                "Headlamp"),
    "electronics": ("Wireless Earbuds", "Bluetooth Speaker", "Smart Watch", "Power Bank",
                    "E-Reader", "Action Camera"),
    "books": ("Trail Guide", "Field Guide", "Cookbook", "Travel Guide", "Care Guide", "Journal"),
}
PRODUCT_ADJECTIVES = ("Alpine", "Coastal", "Merino", "Everyday", "Classic", "Urban", "Nordic",
                      "Organic", "Recycled", "Heritage", "Summit", "Cloud", "Harbor", "Canyon",
                      "Meadow", "Midnight", "Sunset", "Forest", "Glacier", "Desert")
VENDORS = ("Northpeak", "Fjordline", "Hearth & Co", "Tidewater", "Marlow", "Kestrel", "Oakmoss",
           "Lumen", "Basecamp", "Papercut Press", "Sable", "Wildfern")
STANDING_COLLECTIONS = ("Essentials", "Bestsellers", "Gifts")

# ------------------------------------------------------------------------------ web
SITE = "https://www.northpeak-store.example"
# category, operating system, browser, user agent, weight
DEVICES = (
    ("desktop", "Windows", "Chrome", ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"), 0.17),
    ("desktop", "Windows", "Edge", ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80"), 0.05),
    ("desktop", "Windows", "Firefox", ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) "
     "Gecko/20100101 Firefox/125.0"), 0.03),
    ("desktop", "Macintosh", "Safari", ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) "
     "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15"), 0.07),
    ("desktop", "Macintosh", "Chrome", ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
     "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"), 0.08),
    ("desktop", "Linux", "Firefox", ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 "
     "Firefox/125.0"), 0.01),
    ("mobile", "iOS", "Safari", ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) "
     "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"), 0.30),
    ("mobile", "Android", "Chrome", ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36"), 0.17),
    ("mobile", "Android", "Samsung Internet", ("Mozilla/5.0 (Linux; Android 14; SM-S911B) "
     "AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile "
     "Safari/537.36"), 0.05),
    ("tablet", "iOS", "Safari", ("Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) "
     "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"), 0.05),
    ("tablet", "Android", "Chrome", ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"), 0.02),
)
BOT_DEVICES = (
    ("desktop", "Linux", "Chrome", ("Mozilla/5.0 (compatible; Googlebot/2.1; "
     "+http://www.google.com/bot.html)")),
    ("desktop", "Linux", "Chrome", ("Mozilla/5.0 (compatible; bingbot/2.0; "
     "+http://www.bing.com/bingbot.htm)")),
    ("desktop", "Linux", "Chrome", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"),
    ("desktop", "Linux", "Chrome", ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
     "Gecko) HeadlessChrome/124.0.0.0 Safari/537.36")),
    ("desktop", "Linux", "(not set)", "Mozilla/5.0 (compatible; PriceSpider crawler; +https://example.net/spider)"),
)
SEARCH_TERMS = ("rain jacket", "boots", "gift for him", "gift for her", "merino", "sale", "tent",
                "candle", "earbuds", "hiking", "sweater", "backpack", "mug", "new arrivals",
                "serum", "socks", "blanket", "trail guide", "sunglasses", "wallet")
GUIDES = ("how-to-layer-for-hiking", "care-for-merino", "gift-guide", "packing-list-weekend",
          "choosing-trail-shoes", "sustainable-materials", "sizing-guide", "camp-cooking-101")
COLLECTION_PAGES = ("new-arrivals", "sale", "bestsellers", "essentials", "gifts", "apparel",
                    "footwear", "accessories", "home", "beauty", "outdoor", "electronics", "books")
EXTERNAL_REFERRERS = {
    "google": "https://www.google.com/", "bing": "https://www.bing.com/",
    "facebook": "https://m.facebook.com/", "instagram": "https://l.instagram.com/",
    "tiktok": "https://www.tiktok.com/", "pinterest": "https://www.pinterest.com/",
    "newsletter": None, "(direct)": None, "partner-blog": "https://www.outdoorjournal.example/",
    "affiliate": "https://deals.example.net/",
}
# source, medium, campaign channel (None = organic), weight for a non-campaign session
TRAFFIC = (
    ("(direct)", "(none)", None, 0.34), ("google", "organic", None, 0.30),
    ("bing", "organic", None, 0.04), ("instagram", "social", None, 0.05),
    ("facebook", "social", None, 0.03), ("pinterest", "social", None, 0.02),
    ("partner-blog", "referral", None, 0.04), ("google", "cpc", "paid_search", 0.10),
    ("facebook", "paid_social", "paid_social", 0.04), ("tiktok", "paid_social", "paid_social", 0.02),
    ("affiliate", "affiliate", "affiliate", 0.02),
)
REFUND_NOTES = ("Customer return", "Wrong size", "Damaged in transit", "Not as described",
                "Changed mind", "Late delivery", "Order cancelled", "")
CANCEL_REASONS = ("customer", "fraud", "inventory", "declined", "other")
CANCEL_REASON_WEIGHTS = (0.55, 0.08, 0.15, 0.12, 0.10)
