"""What happens in the demo's year, as plain data: who the leads are, what they write, the events, the meetings."""

from dataclasses import dataclass

SEED = 2016  # the real plan's year: any fixed number gives the same demo every time

FIRST_NAMES = ("Alex", "Bola", "Chris", "Dana", "Eilidh", "Farah", "Gareth", "Hannah", "Imran", "Jo", "Kerry",
               "Liam", "Maya", "Nadia", "Owen", "Priya", "Rachel", "Sam", "Tom", "Uma", "Vic", "Wendy", "Yusuf",
               "Zoe")
LAST_NAMES = ("Adeyemi", "Baker", "Clarke", "Dunn", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones",
              "Khan", "Lewis", "Morgan", "Novak", "Okafor", "Patel", "Quinn", "Reid", "Shaw", "Turner", "Walsh",
              "Young")
JOB_TITLES = ("Community safety officer", "Partnership manager", "Project lead", "Team leader")

# What a lead writes, by the RAG they give: plain notes of the kind a partnership's leads send in.
NOTES = {
    "green": (
        "On track: partners met this month and the actions agreed are under way.",
        "Delivered as planned this month; the figures will go to the next board meeting.",
        "Good progress: referrals are coming in steadily and partners' feedback is positive.",
        "Sessions held as planned and well attended; the next dates are booked.",
    ),
    "amber": (
        "Some delay: waiting for partners to confirm dates, a revised timetable will follow.",
        "Slower than planned while the funding is confirmed; the work that needs no funding goes on.",
        "Under way but short of staff this month; catching up next month.",
    ),
    "red": (
        "Stalled: the lead officer has moved on and a replacement is being found.",
        "Not started: the venue fell through and a new one is being sought.",
    ),
}
COMPLETED_NOTE = "Completed as planned. An evaluation will go to the next board meeting."
# Each lead gives a RAG; most are on track, as in a real year.
RAG_WEIGHTS = {"green": 6, "amber": 3, "red": 1}
QUIET_SHARE = 0.15  # objectives nobody updates: the reminders chase them


@dataclass(frozen=True)
class DemoEvent:
    """An event the plan's text names, on its day of the plan year (moved to a working day)."""

    month: int
    day: int
    title: str
    kind: str
    objective_words: str  # found in the objective's title, case ignored: the event is for that objective
    place: str
    audience: str
    attendance: int | None  # for an event held; None for one planned
    outcome: str


EVENTS = (
    DemoEvent(4, 13, "Walk and talk", "other", "walk", "Castle Park", "Residents", 18,
              "Met people who live alone; three asked for befriending."),
    DemoEvent(4, 14, "Older people's Crucial Crew", "awareness_session", "crucial crew", "Charter Hall",
              "Older people", 150, "150 older people took part in scam, fire and falls safety sessions."),
    DemoEvent(7, 7, "Network speed dating", "meeting", "speed dating", "Colchester Fire Station",
              "Partner staff", 25, "25 officers from 11 agencies met; two joint projects came of it."),
    DemoEvent(10, 7, "Community day of action, East Donyland", "community_day_of_action", "community days",
              "East Donyland", "Residents", 60, "Litter picked, bikes marked and 60 residents' concerns heard."),
    DemoEvent(11, 25, "Domestic abuse campaign launch: 16 days of action", "campaign", "social media campaign",
              "Online", "Young people", None,
              "Posts reached 12,000 people aged 16 to 24 in the first week."),
    DemoEvent(11, 30, "Hidden harms conference", "conference", "hidden harms", "Town Hall", "Partner staff", 90,
              "Sessions on gangs, modern slavery and CSE; 90 front-line staff attended."),
    DemoEvent(1, 20, "Gangs awareness in schools", "awareness_session", "gangs awareness programme",
              "Colchester schools", "Year 6 pupils", None, ""),
    DemoEvent(2, 10, "Keep Safe scheme relaunch", "campaign", "keep safe", "Town centre", "Older people", None, ""),
    DemoEvent(3, 10, "Community day of action, Greenstead", "community_day_of_action", "community days",
              "Greenstead", "Residents", None, ""),
)

# The board's meetings, as (month, day): the spring meeting before the year agreed the plan.
AGREED_AT = (3, 19)
MEETINGS = ((7, 16), (10, 15), (1, 14), (3, 18))
