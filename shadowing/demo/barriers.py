"""What the demo's executives and agents saw in the way: a pool of realistic barriers, by the
department that can remove them, with the words department heads use to commit to them,
resolve them, refuse them and move them along. Plain data, nothing random, nothing from Django;
`shadowing.demo.lived` (its visits and backlog) draws from it with the demo's seed.

Each barrier names the channels where it is seen (`cc` contact centre, `rt` store, `fd` field,
`dg` digital) and whether it is regional: a regional barrier seen in two regions is two backlog
items (two different causes), a national one is one item however many people report it.
"""

from dataclasses import dataclass

CHANNEL_CODES = {"call_centre": "cc", "retail": "rt", "field": "fd", "digital": "dg"}


@dataclass(frozen=True)
class BarrierSpec:
    department: str  # the department that can remove it
    category: str
    channels: str  # e.g. "cc rt"
    regional: bool
    title: str
    description: str
    fix: str
    weight: int = 3  # how often it is seen, relative


B = BarrierSpec
# fmt: off
BARRIERS = (
    # Customer Care ------------------------------------------------------------------------------
    B("CARE", "process", "cc", True, "Transfers to the retention desk drop the call",
      "When an agent warm-transfers to retention, about one call in five drops during the hold; the customer calls back angrier and starts over.",
      "Route retention transfers through the new queue with a callback number captured first.", 6),
    B("CARE", "policy", "cc", False, "Credits above $50 need a team lead's approval",
      "Agents must park the customer and find a team lead for any goodwill credit over $50; at peak the wait is 10 minutes.",
      "Raise the agent's credit limit to $150 with a monthly audit sample.", 8),
    B("CARE", "training", "cc dg", False, "New hires never trained on business accounts",
      "Business customers land in the general queue, and agents under six months have had no training on multi-line business accounts.",
      "Add a half-day business-accounts module to onboarding and a skill tag in routing.", 4),
    B("CARE", "staffing", "cc", True, "Evening shift short-staffed every Monday",
      "Monday 17:00-21:00 the queue sits over 12 minutes; the schedule still follows last year's call pattern.",
      "Re-forecast Monday evenings on this year's volumes and move four shifts.", 5),
    B("CARE", "process", "cc", False, "Callback promises are not tracked anywhere",
      "Agents promise callbacks on sticky notes; when they are off the next day nobody calls the customer.",
      "Use the CRM task list for callbacks, visible to the whole team.", 5),
    B("CARE", "communication", "cc rt", False, "Agents learn about outages from customers",
      "The first news of an outage is the tenth customer calling about it; the internal banner appears 40 minutes later.",
      "Push outage alerts to the agent desktop as soon as the NOC opens an incident.", 7),
    B("CARE", "process", "cc", False, "Complaint escalations wait a week for a reply",
      "Formal complaints go to a shared mailbox that the complaints team empties weekly.",
      "Give complaints a queue with a 48-hour target and an owner per case.", 3),
    B("CARE", "training", "cc", True, "Quality scoring rewards short calls over solved problems",
      "Team leads coach on handle time first; agents cut calls short and customers call back.",
      "Weight first-contact resolution above handle time in the quality form.", 4),
    # Retail Stores ------------------------------------------------------------------------------
    B("RETAIL", "process", "rt", True, "Device trade-in quotes take 25 minutes in store",
      "The trade-in tool asks for the same IMEI and condition three times and times out on the store Wi-Fi.",
      "Replace the trade-in flow with the partner's one-screen quote.", 6),
    B("RETAIL", "staffing", "rt", True, "One associate on the floor at lunch hour",
      "Between 12:00 and 14:00 lunches leave one associate for a full store; walk-outs are visible.",
      "Stagger lunches and add a part-time shift 11:30-15:30 on Fridays and Saturdays.", 5),
    B("RETAIL", "policy", "rt", False, "Stores cannot accept returns of online orders",
      "A customer who ordered online is sent to a courier to return the device, even with the box in hand at the counter.",
      "Let stores take back online orders and credit them in the point of sale.", 5),
    B("RETAIL", "technology", "rt", False, "Point of sale freezes when a bundle is changed",
      "Changing the plan inside a device-plus-plan bundle freezes the till; the associate restarts the sale.",
      "Patch the bundle edit screen in the point-of-sale release.", 4),
    B("RETAIL", "product", "rt", False, "Demo phones are two models behind",
      "Display devices are last year's; customers ask to see the new ones and associates have none to show.",
      "Refresh demo units within two weeks of each launch.", 3),
    B("RETAIL", "communication", "rt cc", False, "Store promotions unknown to the contact centre",
      "Customers call about a store-only offer and agents cannot see it or honour it.",
      "Publish every store promotion in the agent knowledge base the day it starts.", 4),
    B("RETAIL", "process", "rt", True, "Stock counts wrong for accessories",
      "The system shows chargers in stock that are not on the shelf; associates walk to the back for nothing.",
      "Weekly cycle count on accessories and scan-out at the counter.", 3),
    # Field Operations ---------------------------------------------------------------------------
    B("FIELD", "process", "fd cc", True, "Technicians arrive without the right modem",
      "The work order does not say which modem the customer has; one visit in six needs a second trip.",
      "Print the customer's equipment model on the work order and stock the van by it.", 7),
    B("FIELD", "technology", "fd", False, "Dispatch app loses the job notes offline",
      "In basements and rural areas the dispatch app has no signal and drops the notes typed there.",
      "Make the dispatch app save notes offline and sync on reconnect.", 5),
    B("FIELD", "process", "fd cc", True, "Appointment windows are eight hours long",
      "Customers take a day off for an 08:00-16:00 window; agents cannot offer anything narrower.",
      "Offer four-hour windows with a 30-minute 'on my way' text.", 6),
    B("FIELD", "staffing", "fd", True, "No technician on call for weekend outages",
      "A business customer down on Saturday waits until Monday; the on-call list has gaps.",
      "Fill the weekend on-call rota and pay the standby premium.", 3),
    B("FIELD", "policy", "fd", False, "Technicians may not replace a damaged wall jack",
      "A torn jack is 'customer premises'; the technician books a contractor and the customer waits a week.",
      "Let technicians replace jacks up to $30 in parts on the spot.", 3),
    B("FIELD", "communication", "fd cc", False, "Customers not told when the technician is late",
      "When a job runs over, the next customer waits without a word; agents cannot see the technician's position.",
      "Send an automatic delay text and show the technician's ETA to agents.", 5),
    # Billing ------------------------------------------------------------------------------------
    B("BILL", "technology", "cc rt", False, "Billing history takes 40 seconds to load",
      "Opening more than three months of bills freezes the agent desktop while the customer waits.",
      "Cache the last twelve bills and load older ones on demand.", 8),
    B("BILL", "process", "cc", False, "Prorated charges impossible to explain",
      "A plan change mid-cycle produces three prorated lines that agents cannot explain; the customer disputes all of them.",
      "One summary line for prorations, with a plain-language explanation on the bill.", 6),
    B("BILL", "policy", "cc", False, "Late fee charged while a dispute is open",
      "Customers who dispute a charge are still charged a late fee on the disputed amount.",
      "Suspend late fees automatically while a dispute is open.", 4),
    B("BILL", "process", "cc rt", True, "Payment arrangements need a call to collections",
      "Agents cannot set up a two-instalment arrangement; they transfer to collections and the customer waits again.",
      "Let front-line agents offer standard two- and three-instalment arrangements.", 4),
    B("BILL", "technology", "cc dg", False, "Autopay failures not shown to agents",
      "A customer whose card expired has no warning; agents only see the arrears.",
      "Show failed autopay attempts and the reason in the account summary.", 3),
    B("BILL", "communication", "cc", False, "First bill after a move is always wrong",
      "Customers who move get a bill with both addresses' charges; half of them call.",
      "Close the old service address before the first bill at the new one is cut.", 4),
    # Network ------------------------------------------------------------------------------------
    B("NET", "technology", "cc fd", True, "Outage map lags the real outage by an hour",
      "The public outage map shows nothing while agents are flooded with calls from one area.",
      "Feed the outage map from the NOC's incident tool in real time.", 6),
    B("NET", "product", "cc rt", True, "Weak indoor coverage in new condo towers",
      "Customers in new towers lose signal indoors; agents have no tool to check a building.",
      "Add building-level coverage data and a small-cell request path.", 4),
    B("NET", "process", "fd", True, "Fibre splicing jobs wait for permits",
      "Technicians arrive to find the municipal permit not yet granted and the job cannot start.",
      "Check permits before dispatch and hold the appointment until granted.", 3),
    B("NET", "communication", "cc", False, "Planned maintenance not announced to agents",
      "Night maintenance is scheduled without telling the contact centre; morning calls are all about it.",
      "Publish planned maintenance in the agent desktop a week ahead.", 4),
    B("NET", "technology", "cc fd", False, "Line tests give no answer agents can use",
      "The line test returns codes like 'ERR 17'; agents book a technician to be safe.",
      "Translate line-test results into plain advice and a recommended next step.", 5),
    # Information Technology ---------------------------------------------------------------------
    B("IT", "technology", "cc rt dg", False, "Agents sign in to nine systems every shift",
      "Every shift starts with nine passwords and two authenticator codes; the first call waits.",
      "Single sign-on for the agent desktop systems.", 8),
    B("IT", "technology", "cc", True, "Agent desktop crashes when two accounts are open",
      "Opening a second account to compare (partner, business line) crashes the CRM.",
      "Fix the CRM memory leak with two account tabs open.", 5),
    B("IT", "technology", "rt", True, "Store Wi-Fi too slow for device activations",
      "Activations over the store Wi-Fi take ten minutes; associates use their own phone hotspot.",
      "Upgrade store network links and separate guest Wi-Fi from the tills.", 5),
    B("IT", "process", "cc rt fd", False, "Password resets for staff take two days",
      "A locked-out agent waits for the service desk and sits idle.",
      "Self-service password reset with the company phone.", 4),
    B("IT", "technology", "fd", False, "Technician tablets run out of battery by 14:00",
      "Old tablets do not last a shift; technicians charge them in the van between jobs.",
      "Replace the oldest tablets and add van chargers.", 3),
    B("IT", "technology", "cc dg", False, "Customer search fails on accented names",
      "Searching 'Côté' finds nothing when the account is saved as 'Cote', and the reverse.",
      "Accent-insensitive customer search in the CRM.", 4),
    # Marketing ----------------------------------------------------------------------------------
    B("MKT", "communication", "cc rt", False, "Promotions launched before agents are briefed",
      "A campaign goes live at 08:00 and the briefing arrives at 11:00; three hours of guessing.",
      "Brief the front line two days before every campaign launch.", 6),
    B("MKT", "communication", "cc rt dg", False, "Advertised price differs from the price in the systems",
      "The ad says $45 and the system says $55 before a credit; customers feel misled.",
      "Advertise the price the customer will see on the bill.", 5),
    B("MKT", "policy", "rt", True, "Flyers promise offers stores cannot apply",
      "Regional flyers list offers that the point of sale does not carry.",
      "Check every flyer offer against the point-of-sale catalogue before print.", 3),
    B("MKT", "communication", "cc", False, "Loyalty points balance not visible to agents",
      "Customers ask about their points and agents have to send them to the app.",
      "Show the loyalty balance in the agent desktop.", 3),
    B("MKT", "product", "dg cc", False, "Referral credit applied three months late",
      "Referral credits arrive after the third bill; customers call each month to ask where it is.",
      "Apply the referral credit on the first bill.", 2),
    # Product ------------------------------------------------------------------------------------
    B("PROD", "product", "cc rt", False, "Too many legacy plans still in market",
      "Agents handle 140 plans, 90 of them closed to new customers; comparisons take ages.",
      "Migrate legacy plans to five current ones, with price protection.", 6),
    B("PROD", "product", "cc rt", False, "Roaming add-on cannot be added from abroad",
      "Customers already travelling cannot buy the roaming pass; they call from abroad at their own cost.",
      "Allow roaming passes to be bought abroad, by text or the app.", 4),
    B("PROD", "product", "rt", False, "Home internet and mobile bundle needs two contracts",
      "The bundle needs two separate contracts and two credit checks.",
      "One contract and one credit check for bundles.", 4),
    B("PROD", "policy", "cc", False, "Plan change only possible on the bill date",
      "Customers who want a cheaper plan now must wait for the cycle; they threaten to leave.",
      "Allow plan changes any day, prorated.", 5),
    B("PROD", "product", "cc dg", False, "Data overage alerts come after the charge",
      "The 'you are close to your limit' text arrives after the overage is billed.",
      "Send the alert at 80% and 100% in real time.", 4),
    # Finance ------------------------------------------------------------------------------------
    B("FIN", "policy", "cc rt", False, "Refunds by cheque take six weeks",
      "Customers who close an account wait six weeks for a cheque; they call three times.",
      "Refund to the original card or by e-transfer within five days.", 5),
    B("FIN", "process", "rt", True, "Store petty cash too small for customer refunds",
      "Stores cannot refund a cash deposit over $100 on the spot.",
      "Raise the store float and allow deposit refunds to card.", 2),
    B("FIN", "policy", "fd", False, "Technicians pay for parts and claim them back",
      "Technicians buy small parts with their own card and wait a month for the expense claim.",
      "Company cards for technicians with a parts limit.", 3),
    B("FIN", "process", "cc", False, "Credit check rejects customers new to Canada",
      "Newcomers with no credit history are refused a plan even with a deposit.",
      "Accept a deposit or a newcomer programme instead of a credit score.", 4),
    # Human Resources ----------------------------------------------------------------------------
    B("HR", "training", "cc rt fd", True, "Nesting period too short for new agents",
      "New agents take live calls after two weeks and transfer half of them.",
      "Extend nesting to four weeks with a buddy on the floor.", 5),
    B("HR", "staffing", "cc", True, "Attrition leaves teams with no senior agent",
      "Teams of twelve with nobody over a year in the job; nobody to ask.",
      "Keep one senior agent per team, with a retention bonus.", 4),
    B("HR", "policy", "cc rt", False, "Shift swaps need a manager's signature on paper",
      "Two agents who agree to swap must find a manager to sign a form.",
      "Self-service shift swaps in the workforce tool.", 3),
    B("HR", "training", "cc dg", False, "No French training material for the new CRM",
      "Quebec agents learn the new CRM from English slides.",
      "Translate the CRM training and have a French-speaking trainer.", 3),
    # Legal and Regulatory -----------------------------------------------------------------------
    B("LEGAL", "policy", "cc", False, "Identity checks read out to customers word for word",
      "The verification script is so long that customers hang up before it ends.",
      "Shorter verification with a one-time code, as the regulator allows.", 5),
    B("LEGAL", "policy", "cc rt", False, "Contract summary takes 15 minutes to go through",
      "Agents must read the whole summary aloud for any change, even a small add-on.",
      "Send the summary by e-mail and read only the changed terms.", 4),
    B("LEGAL", "policy", "cc", False, "Agents may not discuss an account with a spouse",
      "An authorised user cannot be added during the call; the account holder must call back.",
      "Add authorised users during the call with the holder on the line.", 3),
    B("LEGAL", "process", "rt", False, "Consent forms on paper in stores",
      "Stores still print and scan consent forms for every new line.",
      "Electronic consent on the store tablet.", 3),
    # Digital ------------------------------------------------------------------------------------
    B("DIGI", "technology", "dg cc", False, "The app logs customers out after a few minutes",
      "Customers are logged out mid-payment and call instead.",
      "Longer app sessions with biometric sign-in.", 6),
    B("DIGI", "technology", "dg", False, "Chat history lost when chat moves to an agent",
      "The bot's conversation is not passed to the agent; the customer repeats everything.",
      "Pass the bot transcript to the agent with the chat.", 6),
    B("DIGI", "product", "dg cc", False, "Customers cannot change their plan in the app",
      "The app shows the plan but any change sends the customer to call.",
      "Self-serve plan changes in the app.", 5),
    B("DIGI", "technology", "dg cc rt", False, "Online order status stays at 'processing'",
      "Orders show 'processing' until delivery; customers call to ask where their phone is.",
      "Show courier tracking in the order status.", 5),
    B("DIGI", "communication", "dg", False, "Chat agents cannot send a secure payment link",
      "Customers paying in chat are asked to read their card number aloud in the chat.",
      "Secure payment links that chat agents can send.", 4),
)
# fmt: on

# What a head commits to as the first step, by category ({fix} is the barrier's suggested fix).
FIRST_STEPS = {
    "process": (
        "Map the current process with two team leads from the floor and count the hand-offs.",
        "Pull a month of cases where this happened and size the problem.",
        "Run the suggested change on one team for two weeks and compare.",
    ),
    "policy": (
        "Review the policy with Legal and Finance and list what it protects against.",
        "Pilot the change on one site with an audit sample every week.",
        "Get the data on how often the exception is approved anyway.",
    ),
    "technology": (
        "Open a priority defect with the vendor and get a date.",
        "Reproduce it on the floor with IT and measure it.",
        "Put the fix in the next release plan and name the release.",
    ),
    "training": (
        "Draft the module with two senior agents and test it on the next cohort.",
        "Ask the quality team which calls show the gap and build from them.",
    ),
    "staffing": (
        "Re-run the forecast for the affected hours with this year's volumes.",
        "Ask for the headcount in the next workforce review.",
    ),
    "product": (
        "Put it on the product roadmap review and get a decision.",
        "Size the change with the product team and the billing systems.",
    ),
    "communication": (
        "Agree with the teams involved who tells the front line, and when.",
        "Set up the channel and send a test announcement.",
    ),
    "other": ("Talk to the people who raised it and agree what done looks like.",),
}

RESOLUTIONS = (
    "Done: {fix} Live on every site since last week; team leads confirmed it on the floor.",
    "{fix} Rolled out after a two-week pilot; the pilot sites saw repeat calls on this drop by a third.",
    "Fixed. {fix} Announced in the morning huddles and in the knowledge base.",
    "{fix} In place since Monday; we will check the numbers again in a month.",
)

WONT_FIX = (
    "Not now: the system is replaced next year and the new one does this; we will not spend on the old one.",
    "The regulator requires it as it is; we have asked for a change and will reopen if it comes.",
    "We looked at it with the sites: the cost is far above what it saves. Workaround published in the knowledge base.",
)

TRANSFER_REASONS = {
    "IT": "The cause is in the systems, not in our process: this belongs to IT.",
    "BILL": "This is how billing computes the charge; Billing owns that rule.",
    "PROD": "It is a product decision (what the plan allows), not an operations one.",
    "CARE": "The front-line process is Customer Care's; we only supply the data.",
    "DIGI": "The app and chat are Digital's; nothing we can change on our side.",
    "NET": "The data comes from the network tools: Network owns them.",
    "LEGAL": "This is a regulatory requirement: Legal has to say what can change.",
    "MKT": "The offer and its wording are Marketing's.",
    "FIN": "Refund and payment rules are set by Finance.",
    "HR": "Training and staffing of the teams is for HR to decide with the sites.",
    "RETAIL": "Stores run this process; Retail owns it.",
    "FIELD": "Dispatch and technicians are Field Operations'.",
}

REOPEN_REASONS = (
    "Still happening at our site: I saw it twice this week.",
    "The change reached head office but not the floor; agents still do it the old way.",
    "Better for a week, then back to how it was.",
)

OBSERVATIONS = (
    "Saw it three times before lunch.",
    "The customer was on hold for six minutes while this happened.",
    "The agent said it is like this every day.",
    "Two customers in a row, same problem.",
    "The agent had a workaround, but it took a paper note and a second screen.",
    "The team lead confirmed it happens on every shift.",
    "It cost a sale: the customer left.",
    "",
)

OVERALL = (
    "A day that showed how hard our agents work around our own tools. {name} handled every customer with patience; most of the friction was ours, not the customer's.",
    "Eye-opening. Half of the calls I heard were about something we could prevent. {name} knew every workaround, which is exactly the problem.",
    "The floor runs on experience and sticky notes. {name} was brilliant with customers; the systems slowed every one of them.",
    "A good day on the whole: customers were served well, but the same two or three barriers came up again and again.",
    "I had no idea how long a simple change takes in our systems. {name} showed me everything, unfiltered.",
)

COMMITMENTS = (
    "My team will review every customer-facing change with two front-line agents before launch.",
    "I will bring one of these barriers to my leadership meeting each week until it is fixed.",
    "We will spend a day a quarter on the floor, my whole team, not only me.",
    "I will ask my team to read the top five barriers every Monday and tell me what we can remove.",
    "No more launches without briefing the contact centre two days ahead.",
)
