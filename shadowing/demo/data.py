"""The fixed tables of the demo organisation: Maple Telecom, a fictional Canadian carrier.

Departments, sites (real cities, IANA zones and plausible street addresses), shift patterns and
name pools. Nothing here is random; `shadowing.demo.roster` and `shadowing.demo.generate` draw
from it with a fixed seed.
"""

from dataclasses import dataclass

DOMAIN = "mapletel.example"  # RFC 2606: never a real mailbox


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    head_title: str
    areas: tuple[str, ...]  # for the titles of its vice-presidents and directors
    directors: int  # directors besides the head, the vice-presidents and regional directors
    agents: int = 0  # front-line departments only
    agent_title: str = ""
    sites: tuple[str, ...] = ()  # where its agents work


# The tables are laid out by hand: dense rows read better than one item a line.
# fmt: off
DEPARTMENTS = (
    DepartmentSpec(
        "CARE", "Customer Care", "Executive Vice-President, Customer Care",
        (
            "Care Operations", "Workforce Management", "Quality and Coaching", "Care Strategy",
            "Complaints Resolution",
        ),
        directors=36, agents=850, agent_title="Customer Care Agent",
        sites=(
            "VAN-CC", "KAM-CC", "CAL-CC", "WPG-CC", "TOR-CC", "OTT-CC", "SUD-CC", "MTL-CC",
            "QUE-CC", "HFX-CC", "STJ-CC",
        ),
    ),
    DepartmentSpec(
        "RETAIL", "Retail Stores", "Executive Vice-President, Retail",
        ("Store Operations", "Retail Sales", "Dealer Channel", "Store Design"),
        directors=24, agents=500, agent_title="Retail Sales Associate",
        sites=(
            "SUR-RT", "VIC-RT", "CAL-RT", "EDM-RT", "REG-RT", "MIS-RT", "LON-RT", "MTL-RT",
            "GAT-RT", "HFX-RT",
        ),
    ),
    DepartmentSpec(
        "FIELD", "Field Operations", "Executive Vice-President, Field Operations",
        ("Installation and Repair", "Dispatch", "Fleet and Safety", "Outside Plant"),
        directors=24, agents=300, agent_title="Field Technician",
        sites=("BUR-FD", "KEL-FD", "EDM-FD", "SKT-FD", "HAM-FD", "LAV-FD", "MON-FD"),
    ),
    DepartmentSpec(
        "BILL", "Billing", "Senior Vice-President, Billing",
        ("Billing Operations", "Collections", "Revenue Assurance", "Billing Systems"),
        directors=14, agents=200, agent_title="Billing Specialist",
        sites=("KAM-CC", "WPG-CC", "TOR-CC", "MTL-CC", "HFX-CC"),
    ),
    DepartmentSpec(
        "NET", "Network", "Chief Technology Officer",
        (
            "Network Operations Centre", "Wireless Access", "Fibre Deployment", "Core Network",
            "Network Planning",
        ),
        directors=35,
    ),
    DepartmentSpec(
        "IT", "Information Technology", "Chief Information Officer",
        (
            "Enterprise Architecture", "Application Development", "IT Operations", "Cybersecurity",
            "Data Platforms",
        ),
        directors=35,
    ),
    DepartmentSpec(
        "MKT", "Marketing", "Chief Marketing Officer",
        ("Brand", "Consumer Marketing", "Customer Insights", "Loyalty", "Communications"),
        directors=22,
    ),
    DepartmentSpec(
        "PROD", "Product", "Chief Product Officer",
        (
            "Mobile Products", "Home Internet and TV", "Pricing", "Product Design",
            "Business Products",
        ),
        directors=22,
    ),
    DepartmentSpec(
        "FIN", "Finance", "Chief Financial Officer",
        ("Financial Planning", "Controllership", "Treasury", "Procurement", "Tax"),
        directors=24,
    ),
    DepartmentSpec(
        "HR", "Human Resources", "Chief People Officer",
        (
            "Talent Acquisition", "Learning and Development", "Total Rewards", "Employee Relations",
            "Inclusion and Belonging",
        ),
        directors=15,
    ),
    DepartmentSpec(
        "LEGAL", "Legal and Regulatory", "Chief Legal Officer",
        ("Regulatory Affairs", "Privacy", "Commercial Law", "Litigation"),
        directors=9,
    ),
    DepartmentSpec(
        "DIGI", "Digital", "Chief Digital Officer",
        (
            "Digital Channels", "Self-Serve App", "Chat and Messaging", "E-commerce",
            "Digital Analytics",
        ),
        directors=19, agents=150, agent_title="Digital Care Agent",
        sites=("VAN-DG", "TOR-DG"),
    ),
)
# fmt: on

# Vice-presidents per department, one of them "Senior"; front-line departments add a
# vice-president of operations above their regional directors.
VICE_PRESIDENTS = 3
EXECUTIVES = 350


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    region: str
    timezone: str
    channel: str
    address: str
    daily_visitor_limit: int | None
    size: float  # relative headcount, and how likely an executive's home office is here
    quebec: bool = False  # French first
    country: str = "CA"  # where its public holidays come from (ISO 3166-1)

    @property
    def subdivision(self) -> str:
        """The province (ISO 3166-2:CA): by the zone, Quebec's sites sharing Toronto's."""
        return "QC" if self.quebec else PROVINCE_OF_ZONE[self.timezone]


# Each zone the sites use lies in one province, but Quebec's (above) and Ontario's share one.
PROVINCE_OF_ZONE = {
    "America/Vancouver": "BC",
    "America/Edmonton": "AB",
    "America/Regina": "SK",
    "America/Winnipeg": "MB",
    "America/Toronto": "ON",
    "America/Halifax": "NS",
    "America/Moncton": "NB",
    "America/St_Johns": "NL",
}


# fmt: off
SITES = (
    # West
    SiteSpec("VAN-CC", "Vancouver Contact Centre", "West", "America/Vancouver", "call_centre",
             "1500 West Georgia Street, Vancouver, BC V6G 2Z6", None, 2.0),
    SiteSpec("VAN-DG", "Vancouver Digital Hub", "West", "America/Vancouver", "digital",
             "980 Howe Street, Vancouver, BC V6Z 0C8", None, 1.0),
    SiteSpec("KAM-CC", "Kamloops Contact Centre", "West", "America/Vancouver", "call_centre",
             "450 Lansdowne Street, Kamloops, BC V2C 1Y3", 4, 0.7),
    SiteSpec("SUR-RT", "Surrey Central Store", "West", "America/Vancouver", "retail",
             "10153 King George Boulevard, Surrey, BC V3T 2W1", 2, 1.2),
    SiteSpec("VIC-RT", "Victoria Mayfair Store", "West", "America/Vancouver", "retail",
             "3147 Douglas Street, Victoria, BC V8Z 6E3", 2, 0.9),
    SiteSpec("BUR-FD", "Burnaby Field Depot", "West", "America/Vancouver", "field",
             "8371 Eastlake Drive, Burnaby, BC V5A 4W3", 3, 1.2),
    SiteSpec("KEL-FD", "Kelowna Field Depot", "West", "America/Vancouver", "field",
             "1960 Springfield Road, Kelowna, BC V1Y 5V7", 2, 0.8),
    # Prairies
    SiteSpec("CAL-CC", "Calgary Contact Centre", "Prairies", "America/Edmonton", "call_centre",
             "411 1st Street SE, Calgary, AB T2G 4Y5", None, 1.5),
    SiteSpec("CAL-RT", "Calgary Chinook Store", "Prairies", "America/Edmonton", "retail",
             "6455 Macleod Trail SW, Calgary, AB T2H 0K8", 2, 1.1),
    SiteSpec("EDM-RT", "Edmonton Whyte Avenue Store", "Prairies", "America/Edmonton", "retail",
             "10368 82 Avenue NW, Edmonton, AB T6E 1Z9", 2, 1.0),
    SiteSpec("EDM-FD", "Edmonton Field Depot", "Prairies", "America/Edmonton", "field",
             "11830 154 Street NW, Edmonton, AB T5V 1N5", 3, 1.1),
    SiteSpec("WPG-CC", "Winnipeg Contact Centre", "Prairies", "America/Winnipeg", "call_centre",
             "333 Main Street, Winnipeg, MB R3C 4E2", 6, 1.2),
    SiteSpec("REG-RT", "Regina Southland Store", "Prairies", "America/Regina", "retail",
             "2965 Gordon Road, Regina, SK S4S 6H7", 1, 0.7),
    SiteSpec("SKT-FD", "Saskatoon Field Depot", "Prairies", "America/Regina", "field",
             "3311 Fairlight Drive, Saskatoon, SK S7M 3Y5", 2, 0.8),
    # Central: Ontario, and Quebec with French first
    SiteSpec("TOR-CC", "Toronto Contact Centre", "Central", "America/Toronto", "call_centre",
             "4110 Yonge Street, Toronto, ON M2P 2B7", None, 3.0),
    SiteSpec("TOR-DG", "Toronto Digital Hub", "Central", "America/Toronto", "digital",
             "25 York Street, Toronto, ON M5J 2V5", None, 2.0),
    SiteSpec("MIS-RT", "Mississauga Square One Store", "Central", "America/Toronto", "retail",
             "100 City Centre Drive, Mississauga, ON L5B 2C9", 2, 1.3),
    SiteSpec("LON-RT", "London Masonville Store", "Central", "America/Toronto", "retail",
             "1680 Richmond Street, London, ON N6G 3Y9", 2, 0.9),
    SiteSpec("OTT-CC", "Ottawa Contact Centre", "Central", "America/Toronto", "call_centre",
             "160 Elgin Street, Ottawa, ON K2P 2C4", 8, 1.2),
    SiteSpec("SUD-CC", "Sudbury Contact Centre", "Central", "America/Toronto", "call_centre",
             "1349 Lasalle Boulevard, Sudbury, ON P3A 1Z2", 4, 0.7),
    SiteSpec("HAM-FD", "Hamilton Field Depot", "Central", "America/Toronto", "field",
             "1120 Burlington Street East, Hamilton, ON L8H 3Y6", 3, 1.2),
    SiteSpec("MTL-CC", "Centre de contact de Montréal", "Central", "America/Toronto", "call_centre",
             "1000 rue De La Gauchetière Ouest, Montréal, QC H3B 4W5", None, 2.5, quebec=True),
    SiteSpec("QUE-CC", "Centre de contact de Québec", "Central", "America/Toronto", "call_centre",
             "900 boulevard René-Lévesque Est, Québec, QC G1R 2B5", 5, 1.0, quebec=True),
    SiteSpec("MTL-RT", "Boutique Sainte-Catherine", "Central", "America/Toronto", "retail",
             "677 rue Sainte-Catherine Ouest, Montréal, QC H3B 5K4", 2, 1.2, quebec=True),
    SiteSpec("GAT-RT", "Boutique Gatineau", "Central", "America/Toronto", "retail",
             "1100 boulevard Maloney Ouest, Gatineau, QC J8T 6G3", 1, 0.7, quebec=True),
    SiteSpec("LAV-FD", "Dépôt technique de Laval", "Central", "America/Toronto", "field",
             "2500 boulevard Daniel-Johnson, Laval, QC H7T 2P6", 3, 1.1, quebec=True),
    # East
    SiteSpec("HFX-CC", "Halifax Contact Centre", "East", "America/Halifax", "call_centre",
             "1801 Hollis Street, Halifax, NS B3J 3N4", 6, 1.2),
    SiteSpec("HFX-RT", "Halifax Shopping Centre Store", "East", "America/Halifax", "retail",
             "7001 Mumford Road, Halifax, NS B3L 2H8", 2, 1.0),
    SiteSpec("MON-FD", "Moncton Field Depot", "East", "America/Moncton", "field",
             "1133 St. George Boulevard, Moncton, NB E1E 4E1", 2, 0.9),
    SiteSpec("STJ-CC", "St. John's Contact Centre", "East", "America/St_Johns", "call_centre",
             "140 Water Street, St. John's, NL A1C 6H6", 4, 0.8),
)
# fmt: on

# Where executives' home offices are, by region.
EXECUTIVE_REGIONS = {"Central": 0.5, "West": 0.2, "Prairies": 0.17, "East": 0.13}

# Local shift patterns by channel (start, end).
# fmt: off
SHIFT_PATTERNS = {
    "call_centre": (("07:00", "15:00"), ("08:00", "16:00"), ("09:00", "17:00"), ("11:00", "19:00"),
        ("12:00", "20:00"), ("13:00", "21:00")),
    "retail": (("09:30", "17:30"), ("10:00", "18:00"), ("12:00", "20:00"), ("13:00", "21:00")),
    "field": (("07:00", "15:00"), ("07:30", "15:30"), ("08:00", "16:00")),
    "digital": (("08:00", "16:00"), ("09:00", "17:00"), ("10:00", "18:00"), ("14:00", "22:00")),
}
# fmt: on


@dataclass(frozen=True)
class NamePool:
    first: tuple[str, ...]
    last: tuple[str, ...]
    french: bool = False  # speaks French first
    heritage: tuple[str, ...] = ()  # ISO 639-1 languages some of them also speak


# fmt: off
NAME_POOLS = {
    "english": NamePool(
        (
            "Emily", "Olivia", "Liam", "Noah", "Ethan", "Sarah", "Jessica", "Michael", "David",
            "Jennifer", "Ryan", "Megan", "Kevin", "Laura", "Andrew", "Rebecca", "Daniel", "Heather",
            "Scott", "Melissa", "Tyler", "Amanda", "Justin", "Brittany", "Graham", "Fiona", "Colin",
            "Moira", "Shannon", "Brendan", "Caitlin", "Owen", "Grace", "Jordan", "Taylor",
        ),
        (
            "Smith", "Brown", "Wilson", "MacDonald", "Campbell", "Stewart", "Thompson", "Anderson",
            "Taylor", "Johnson", "Clark", "Murphy", "Robertson", "Fraser", "MacLeod", "Morrison",
            "Kennedy", "Reid", "Young", "Walker", "Hughes", "Bell", "Grant", "Ross", "Mitchell",
            "Baker", "Cooper", "Hall", "O'Brien", "McKenzie", "Doyle", "Power", "Whelan",
        ),
    ),
    "french": NamePool(
        (
            "Hélène", "François", "Geneviève", "Mathieu", "Émilie", "Jérôme", "Chloé", "Étienne",
            "Mélanie", "Sébastien", "Josée", "André", "Noémie", "Frédéric", "Isabelle", "Benoît",
            "Maude", "Félix", "Élise", "Stéphane", "Nathalie", "Luc", "Marie-Ève", "Jean-François",
            "Anne-Sophie", "Pierre-Luc", "Valérie", "Simon", "Gabriel", "Léa", "Zoé", "Maxime",
            "Amélie", "Olivier", "Sylvie",
        ),
        (
            "Côté", "Tremblay", "Gagnon", "Roy", "Bouchard", "Gauthier", "Morin", "Lavoie",
            "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron",
            "Leblanc", "Paquette", "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier",
            "Dubé", "Poirier", "Fournier", "Lapointe", "Thériault", "Lefebvre", "Bédard", "Nadeau",
            "Arsenault", "Cormier", "Doucet", "Gallant", "Després",
        ),
        french=True,
    ),
    "south_asian": NamePool(
        (
            "Priya", "Arjun", "Harpreet", "Gurpreet", "Manpreet", "Rajesh", "Anjali", "Sanjay",
            "Deepa", "Vikram", "Simran", "Amandeep", "Neha", "Rohan", "Kavita", "Aisha", "Imran",
            "Lakshmi", "Karthik", "Navdeep",
        ),
        (
            "Sharma", "Singh", "Patel", "Gill", "Sandhu", "Dhillon", "Grewal", "Gupta", "Raman",
            "Iyer", "Khan", "Chaudhry", "Sidhu", "Bains", "Mehta", "Krishnan", "Qureshi",
        ),
        heritage=("pa", "hi", "ur", "ta", "gu"),
    ),
    "east_asian": NamePool(
        (
            "Wei", "Jing", "Ming", "Mei", "Hiroshi", "Yuki", "Min-jun", "Ji-woo", "Kenji", "Xin",
            "Hao", "Jia", "Kevin", "Grace", "Vivian", "Jason", "Annie", "Eric",
        ),
        (
            "Chen", "Wong", "Li", "Wang", "Zhang", "Liu", "Lam", "Kim", "Park", "Lee", "Tanaka",
            "Huang", "Ho", "Chan", "Leung", "Cheng", "Sato",
        ),
        heritage=("zh", "zh", "ko", "ja"),
    ),
    "southeast_asian": NamePool(
        (
            "Maria", "Jose", "Kristine", "Rowena", "Jericho", "Analyn", "Marvin", "Joy", "Thi",
            "Minh", "Linh", "Duc", "Mai", "Rodel",
        ),
        (
            "Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos",
            "Aquino", "Nguyen", "Tran", "Pham", "Le", "Dizon",
        ),
        heritage=("tl", "tl", "vi"),
    ),
    "arab": NamePool(
        (
            "Ahmed", "Fatima", "Omar", "Layla", "Yousef", "Amira", "Karim", "Nadia", "Samir",
            "Rania", "Mehdi", "Yasmine", "Rachid", "Salma",
        ),
        (
            "Haddad", "Khalil", "Nasser", "Mansour", "Saleh", "Hamdan", "El-Amin", "Abboud", "Aziz",
            "Benali", "Bouzid", "Chehade",
        ),
        heritage=("ar",),
    ),
    "african_caribbean": NamePool(
        (
            "Chinedu", "Amara", "Kwame", "Abena", "Oluwaseun", "Ngozi", "Tendai", "Fatou",
            "Jean-Baptiste", "Nadège", "Wideline", "Marlon", "Keisha", "Dwayne", "Aminata",
        ),
        (
            "Okafor", "Mensah", "Adeyemi", "Diallo", "Osei", "Nwosu", "Kamara", "Joseph", "Pierre",
            "Baptiste", "Jean-Louis", "Campbell", "Thomas", "Desrosiers", "Traoré",
        ),
        heritage=("fr", "yo", "sw"),
    ),
    "european": NamePool(
        (
            "Olena", "Taras", "Andriy", "Katarzyna", "Piotr", "Giulia", "Marco", "João", "Ana",
            "Sofia", "Lukas", "Ivana", "Dimitri", "Elena",
        ),
        (
            "Kowalski", "Shevchenko", "Kovalenko", "Nowak", "Rossi", "Esposito", "da Silva",
            "Ferreira", "Costa", "Popescu", "Müller", "Novak", "Papadopoulos", "Wiśniewski",
        ),
        heritage=("uk", "pl", "it", "pt", "de", "el"),
    ),
    "indigenous": NamePool(
        (
            "Dakota", "Cheyenne", "Tanis", "Colton", "Shania", "Waylon", "Jolene", "Cody", "Raven",
            "Skye",
        ),
        (
            "Cardinal", "Ladouceur", "Sinclair", "Bighetty", "Okemaw", "Littlechild", "Crowchild",
            "Bear", "Whitehead", "Morningstar", "Delorme", "Flett",
        ),
        heritage=("cr",),
    ),
}

# Who works where: the mix of name pools by region (Quebec sites have their own).
NAME_MIX = {
    "West": {"english": 35, "east_asian": 20, "south_asian": 18, "southeast_asian": 8,
        "european": 7, "french": 4, "arab": 3, "african_caribbean": 3, "indigenous": 2},
    "Prairies": {"english": 38, "european": 15, "southeast_asian": 12, "south_asian": 10,
        "indigenous": 8, "east_asian": 6, "french": 5, "african_caribbean": 4, "arab": 2},
    "Central": {"english": 30, "south_asian": 18, "east_asian": 12, "european": 10,
        "african_caribbean": 9, "arab": 7, "southeast_asian": 6, "french": 6,
        "indigenous": 2},
    "Quebec": {"french": 72, "arab": 8, "african_caribbean": 8, "european": 5, "english": 4,
        "east_asian": 3},
    "East": {"english": 55, "french": 20, "african_caribbean": 6, "south_asian": 6, "arab": 5,
        "east_asian": 4, "european": 4},
}
# fmt: on

# The departments' names as a French-speaking reader sees them (departments.csv `name_fr`).
NAMES_FR = {
    "CARE": "Service à la clientèle",
    "RETAIL": "Magasins de détail",
    "FIELD": "Opérations sur le terrain",
    "BILL": "Facturation",
    "NET": "Réseau",
    "IT": "Technologies de l’information",
    "MKT": "Marketing",
    "PROD": "Produits",
    "FIN": "Finances",
    "HR": "Ressources humaines",
    "LEGAL": "Affaires juridiques et réglementaires",
    "DIGI": "Numérique",
}
