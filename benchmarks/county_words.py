"""The words the made-up county is written in: its districts, agencies, people, priorities and progress notes."""

DISTRICTS = (
    ("Basildon", "BAS"), ("Braintree", "BRA"), ("Brentwood", "BRE"), ("Castle Point", "CAS"),
    ("Chelmsford", "CHE"), ("Epping Forest", "EPP"), ("Harlow", "HAR"), ("Maldon", "MAL"),
    ("Rochford", "ROC"), ("Tendring", "TEN"), ("Uttlesford", "UTT"), ("Southend", "SOU"),
)
# (name suffix, abbreviation suffix, how many contacts it has relative to the others)
AGENCY_KINDS = (
    ("Council", "C", 3), ("Homes", "H", 2), ("Community Safety Partnership", "CSP", 1),
    ("Council for Voluntary Service", "CVS", 1), ("Youth Service", "YS", 1),
)
KEY_PRIORITY_TITLES = (
    "To protect vulnerable people", "To reduce reoffending", "To address alcohol and drug misuse",
    "To reduce crime and the fear of crime", "To tackle anti-social behaviour", "To reduce domestic abuse",
    "To tackle gangs and county lines", "To keep roads safe", "To prevent violent extremism",
    "To support victims of crime", "To tackle hate crime", "To reduce youth violence",
)
POLICE_PRIORITIES = (
    "Child abuse and exploitation", "Domestic abuse", "Serious violence", "Anti-social behaviour",
    "Burglary", "Road safety", "Hate crime",
)
PCC_PRIORITIES = (
    "More local, visible and accessible policing", "Crack down on anti-social behaviour",
    "Breaking the cycle of domestic abuse", "Reverse the trend in serious violence",
    "Tackle gangs and organised crime", "Protecting children and vulnerable people from harm",
    "Improve safety on our roads",
)
VERBS = ("Deliver", "Run", "Extend", "Review", "Launch", "Support", "Fund", "Pilot", "Promote", "Train staff on")
TOPICS = (
    "a social media campaign on domestic abuse", "the Keep Safe scheme", "gangs awareness training",
    "a street drinking task group", "a night-time economy patrol", "a hate crime reporting centre",
    "a youth diversion programme", "a burglary prevention week", "a scam awareness roadshow",
    "a cuckooing safeguarding pathway", "a knife crime education session", "a community day of action",
)
FIRST_NAMES = ("Alex", "Bea", "Chris", "Dee", "Eli", "Fran", "Gita", "Hal", "Ira", "Jo", "Kim", "Lee", "Mo",
               "Nia", "Olu", "Pat", "Quinn", "Ravi", "Sam", "Tara", "Uma", "Vic", "Wyn", "Yas", "Zoe")
LAST_NAMES = ("Adams", "Begum", "Carr", "Dawson", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan",
              "Lewis", "Moss", "Nash", "Owen", "Patel", "Reid", "Shaw", "Taylor", "Usher", "Vance", "Walsh")
JOB_TITLES = ("Community safety officer", "Project officer", "Inspector", "Team leader", "Service manager",
              "Youth worker", "Housing officer", "Partnership analyst")
PROGRESS_TEXTS = (
    "Meeting held with partners; actions agreed.", "Sessions delivered to {n} people.",
    "Funding bid submitted; decision expected next month.", "Campaign materials printed and shared.",
    "Training booked for {n} officers.", "Referral pathway agreed with health partners.",
    "Delayed: waiting for a venue.", "Evaluation report drafted and circulated.",
)
RAG_WEIGHTS = (("green", 50), ("amber", 30), ("red", 15), (None, 5))
