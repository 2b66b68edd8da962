"""Safety detection: every way people mention the three conditions gets its caveat; lookalikes mostly don't."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core import safety
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.knowledge import Condition, KnowledgeBase, RedFlags
from bot.core.safety import SafetyDetector
from bot.core.text import normalise
from tests.core.mentions_set import CONDITIONS, score_mentions

SETS = Path(__file__).resolve().parent.parent / "sets"

P, D, H = Condition.PREGNANCY, Condition.DIABETES, Condition.HEART


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my wife is 10 weeks along, which toe is for toothache", {P}),
        ("Im pregant lol can u rub my feet", {P}),
        ("first trimester, is reflexology ok?", {P}),
        ("we're expecting twins!", {P}),
        ("low lying placenta, can I have a foot massage", {P}),
        ("I'm ovulating, is a foot rub ok", {P}),
        ("How could Steve sleeping through labour be of any help to me?", {P}),
        ("my labour was long, my feet still ache", {P}),
        ("Have you ever experienced a more rapid heartbeat while lying down?", {H}),
        ("i have diabetis", {D}),
        ("my dad is type 2 and on metformin", {D}),
        ("she's on insulin", {D}),
        ("my mum has hart problems", {H}),
        ("he has a pacemaker", {H}),
        ("had a heart attack last year", {H}),
        ("afib", {H}),
        ("im pregnant and diabetic with a heart condition", {P, D, H}),
        ("DIABETES + PREGNANCY 🤰", {P, D}),
        ("wife's expecting, can i still rub her feet", {P}),
        ("36 weeks, feet swollen 🥴 massage ok or not", {P}),
        ("diabetes n heart probs", {D, H}),
        # the heart named beside another organ or system, or after the trouble
        ("Are heart or circulatory conditions a contra indication?", {H}),
        ("people with heart, lung or kidney disease", {H}),
        ("heart/lung problems", {H}),
        ("is massage ok with heart and vascular disease", {H}),
        ("heart-related issues", {H}),
        ("problems with my heart or circulation", {H}),
        ("something wrong with his heart", {H}),
        ("his heart is giving him trouble", {H}),
        ("my heart sometimes races at night", {H}),
        ("post-MI, can I have a foot rub?", {H}),
        # asked for the heart's sake, as "is it good for the heart?" is
        ("Can the heart be strained by massage?", {H}),
        ("does massage put strain on the heart", {H}),
        ("How can massage therapy help your heart?", {H}),
        ("I have an ICD", {H}),
        ("I've got CHD", {H}),
        ("my heart was operated on last year", {H}),
        ("I have a murmur, is reflexology ok?", {H}),
        ("at my 20 week scan they said all is well", {P}),
        ("the anatomy scan is next week", {P}),
        # as real people wrote them on public pages (tests/sets/safety_mentions.yaml)
        ("My Dad had a pacer/difib which served him well for many years.", {H}),
        ("It was almost as hard to come to terms with as my diagnosis of DCM.", {H}),
        ("One of the valves in his heart was broken.", {H}),
        ("My heart frequently stops – pauses for a few seconds – then restarts with a bang", {H}),
        ("as if I have a madly-flapping bird trapped in my chest!", {H}),
        ("At present he is taking Aspirin, Cardivas, Amarly 1 mg.", {H, D}),
        ("they found that my BG was almost 200", {D}),
        ("He pricks his own finger and tests his blood several times a day.", {D}),
        ("Sometimes it is funny when he goes low", {D}),
        ("I had failed the GTT and was diagnosed with GD", {P, D}),
        ("I developed PGP at around 20 weeks.", {P}),
        ("on tuesday we hit week 35.", {P}),
        ("Back pain has left me couch-bound until this baby comes.", {P}),
        ("just the two little seeds of JOY growing inside my womb", {P}),
        ("1cm, 70% effaced. I could be here awhile", {P}),
        ("now she is flipping for two", {P}),
        ("I went to the Dr. today for my 38 week check up.", {P}),
        # ...and from the held-out mentions, after their first score
        ("In my fuzzy haze of high BGs I managed to change the reservoir", {D}),
        ("My meter read LO - (bloods below 2.2mmol)", {D}),
        ("I take 32u of Levimir in the morning", {D}),
        ("2 months ago he got the diagnose of DM", {D}),
        ("She was initially in ICU but was moved to the CCU 48 hours later.", {H}),
        ("He also had angiography done last year.", {H}),
        ("Dad's ef was 20% in 2018 and is 20% now.", {H}),
        ("his body will reject his new heart", {H}),
        ("I never, in 8.5 yrs, had my INR go above 4", {H}),
        ("My heart has been beating abnormally fast during the last two days.", {H}),
        ("pain in me chest, shortness of breath", {H}),
        ("Sunday I will be 37wks", {P}),
        ("After 33 weeks I started having pain in the pubic area", {P}),
        ("This week he's developed an interest in kicking me in the ribs", {P}),
        ("I was warned by my midwife that my scar tissue wont stretch", {P}),
        ("It feels like acid heartburn at the top of the bump.", {P}),
        ("How high should my bp get before they induce me?", {P, H}),
        ("Right now? I have 2 HPTs with positive lines.", {P}),
        ("He would bolus 2 units extra to correct.", {D}),
        ("producing jelly beans, toast and my BGL meter", {D}),
        ("Monday this week, my pump alarmed with a pump occlusion.", {D}),
        ("I will be going live with my pump July 8th.", {D}),
        ("I've been going to Cardio Rehab with Rob on and off.", {H}),
        ("If I was a newly diagnosed A Fibber I would now be petrified", {H}),
        ("these bouts of lazy heart make him suddenly grow very tired", {H}),
        ("I was on the last day of a Caribbean cruise when AF struck again.", {H}),
        ("have been suffering from PAF for at least 6 years", {H}),
        ("I was having a VBAC with less than two years between births", {P}),
        ("She peed on a stick, and the plus sign appeared.", {P}),
        ("So she says, we are going to have another baby!!", {P}),
        ("Everything was going swimmingly until week twenty-six.", {P}),
        ("my period was a week late so I bought a test", {P}),
        ("4 years of poking my fingers 8-12 times a day has been exhausting", {D}),
        ("Your profile indicates that you're using MDI.", {D}),
        ("Last weekend I took my first pump vacation.", {D}),
        ("the first critical weeks after OHS", {H}),
        ("I was born with Tricuspid Atresia.", {H}),
        ("pop-pop had a couple of balloons placed in his heart", {H}),
        ("I used to have cow valve and now I have mechanical.", {H}),
        ("My body aches from growing another human", {P}),
        ("as soon as that stick shows two pink lines", {P}),
        ("I sent lots of videos once the baby started moving.", {P}),
        ("I found out that I was carrying twin boys.", {P}),
        ("The next day she called to tell me my beta was 512!", {P}),
        ("I will be a grandmother in late May.", {P}),
        ("3 days shy of 40 weeks and Felicia is making no plans to leave.", {P}),
        ("They married in 1976, and she conceived after about five years.", {P}),
        ("What Exactly Are Labor Pressure Points?", {P}),
        ("But is it safe for you and your baby?", {P}),
        ("what helps us achieve the birth we really want?", {P}),
        ("grandpa heart + sugar", {D, H}),
        ("he's on meds for his heart. where's the heart point on the foot?", {H}),
        ("bump is 5 months now, is reflexology a good idea?", {P}),
        ("I'm in my first three months, is reflexology a no-go?", {P}),
        ("my daughter in law is carrying 8th month, can i massage her legs", {P}),
        ("Positive test this morning!! does that change anything for my nightly foot rub?", {P}),
        ("Я беременна, можно делать массаж стоп?", {P}),
        ("bolehkah bumil pijat refleksi?", {P}),
        ("क्या प्रेगनेंसी में फुट मसाज सुरक्षित है?", {P}),
        ("tengo el corazón débil, ¿puedo hacerme masaje de pies?", {H}),
        ("ich habe eine Herzkrankheit", {H}),  # "herzkrank" was known, the noun was not
        ("mein Vater hat Herzrhythmusstörungen", {H}),
        ("Pregnant, high blood pressure and borderline sugar. Should I skip reflexology?", {P, D, H}),
        ("My daughter-in-law is expecting. Is it wise for her to have her feet massaged?", {P}),
        ("my chest is really tight and my left arm is tingling", {H}),
        ("my cardiologist says my heart is weak, can i get a foot rub", {H}),
        ("my brother is a cardiologist and I had a heart attack in may", {H}),
        ("she's 6 wks and sick every morning, which toe is for the stomach", {P}),
        ("I have a C-section scheduled for next month and my ankles are enormous", {P}),
        ("due in March with our first and I just can't get comfy at night", {P}),
        ("post-op from valve surgery. is it risky to press on the heart point?", {H}),
        ("heart pt, chest tight now", {H}),
        ("can I massage my dad, he has atrial flutter", {H}),
        ("had myocarditis after covid, is reflexology ok", {H}),
        ("she was born with long QT, any toes to avoid?", {H}),
        # after the birth the caveat rides too (clots are likelier then); the caution does not answer
        ("How long will my feet be swollen after birth?", {P}),
        ("I gave birth two weeks ago and my ankles are puffy", {P}),
        ("what does a labour contraction feel like", {P}),
        ("Ante-natal classes, do I have to go?", {P}),
        ("are there any risks to my baby?", {P}),
        ("How do I make sure my baby is safe while I get a massage?", {P}),
        ("any tips for supporting her during labour and birth?", {P}),
        # a "not" before the condition that is no denial of it
        ("Why can’t pregnant women have a foot massage?", {P}),
        ("Why can’t diabetics cut toenails?", {D}),
        ("why shouldn't diabetics use foot massagers", {D}),
        ("Which labor-coping techniques do you think tend to be the most helpful?", {P}),
        ("How Can I Help My Baby Turn Naturally?", {P}),
        ("Do I need to get permission to have my baby at home?", {P}),
        ("Why do so many multiple moms end up on bedrest?", {P}),
        ("Where do I put my pump site?", {D}),
        ("What Exactly is Acupressure for Labor?", {P}),
        ("But is it okay to get a massage while you house your little one?", {P}),
        ("How does working night shift affect your sugars..?", {D}),
        ("foot rubs while growing a tiny human, yes or no", {P}),
        ("Is your growing belly keeping you from getting regular zzzs?", {P}),
        ("is hypnobirthing worth learning alongside foot massage?", {P}),
        ("Which Hurts More: Calf Cramps or Labor? Discuss.", {P}),
        ("Was that a sign of impending labour?", {P}),
        ("what are the first signs of labor", {P}),
        ("Do you know if the baby is a boy or a girl?", {P}),
        ("But many expecting parents wonder: Is it actually safe?", {P}),
        ("Can Reflexology really promote labour?", {P}),
        ("reflexology points to kick-start labor", {P}),
        # as real people name them in their own words (safety_mentions_holdout_5.yaml)
        ("I used to have a cute bump, can you rub my feet", {P}),
        ("Week 29 this week and my ankles are huge", {P}),
        ("timing my contractions on the birthing ball", {P}),
        ("happy to hear from my ob today that the baby is in the head-down position", {P}),
        ("we have another grandchild on the way!", {P}),
        ("I take simvastatin, can I have reflexology", {H}),
        ("I had a new EKG and an echocardiogram last week", {H}),
        ("2 out of 4 arteries of the heart were blocked", {H}),
        ("my B/P was 171 over 90", {H}),
        ("My wife developed pre-eclampsia", {P, H}),
        ("my heart keeps going in and out of AF", {H}),
        ("My diabetic nurse told me about the driving", {D}),
        ("Still two arrows up and now in the high 300s", {D}),
        ("I've had three pod failures this week", {D}),
        ("he has come up with large keytones", {D}),
        ("Gluformin 1000mg twice a day", {D}),
        ("we hit the 12wk mark last friday", {P}),
        ("all of my labors began with my water breaking", {P}),
        ("how many more days until you are due?", {P}),
        ("he's 2/5ths engaged now", {P}),
        ("I told her to change her pod", {D}),
        ("I leave the gym with my sugar in the 30's", {D}),
        ("at my check I got a reading of 148/97", {H}),
        ("two weeks ago they were doing surgery on my heart", {H}),
        ("well into my 36th week and my feet are huge", {P}),
        ("walking to help bump engage", {P}),
        ("I was 4cm dilated by the evening", {P}),
        ("if she doesn't come out by Tuesday she will be induced", {P}),
        ("my wife was just put on bed rest", {P}),
        ("I am a first-time grandma this September", {P}),
        ("My elderly father has been T2ID for years", {D}),
        ("at work I'm more prone to going low", {D}),
        ("My dad had an inferior wall MI today", {H}),
        ("He also has a rusty valve", {H}),
        ("100% blockage in one of the arteries", {H}),
        ("various water pills for months", {H}),
        ("I celebrated my 28 week milestone with a growth scan", {P}),
        ("there's another woman due on Tuesday", {P}),
        ("we will be grandparents for the first time", {P}),
        ("had a midwife appointment and heard the babies heart beat", {P}),
        ("I took a test and got the faintest of positives", {P}),
        ("My partner has a Medtronic pump", {D}),
        ("I just need a minute to let my sugar come up", {D}),
        ("she did not take her morning 35 unit shot", {D}),
        ("when tested my BS was 741", {D}),
        ("the urgent low alarm went off", {D}),
        ("Second degree AV Block Type 2", {H}),
        ("I had my sixth ICD implanted this past November", {H}),
        ("the doctor heard a murmur in Luna's heart", {H}),
        ("at night my heart seems to skip a beat", {H}),
        ("something is wrong with my heart", {H}),
        ("Dad's protime is 1.7", {H}),
        ("not quite ready to welcome your mini-me?", {P}),
        ("we can't wait to meet our little one", {P}),
        ("So then why is it that most massage clinics say no massage before 20 weeks?", {P}),
        ("The varicose veins that only seem to get worse as your baby grows?", {P}),
        ("on metoprolol and a statin since my MI", {H}),
        ("he had an MI last spring, is a foot rub ok?", {H}),
    ],
)
def test_conditions_are_found(engine: Engine, text: str, expected: set[Condition]) -> None:
    assert set(engine.safety.detect(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "where is the heart point",
        "2 weeks ago i hurt my foot, can i still massage it",
        "my labour job on the building site kills my feet",
        "labour costs at the spa went up",
        "a foot rub is a labour of love",
        "6 weeks into my new job and my feet hurt",
        "no running for 12 weeks after the surgery, and no heavy lifting before 16 weeks of rest",
        "as your baby grows up, foot rubs can stay a bedtime ritual",
        "my Mi Band says I slept badly, will a foot rub help?",
        "my mum heart point",
        "pregnancy test came back negative so nothing to worry about there, which toe is for the lungs?",
        "took the bypass home and sat in traffic for 2 hrs, feet throbbing",
        "my covid test was positive last week, can foot massage help me sleep",
        "no heart problems or anything, just curious where the heart spot is",
        "I'm a diabetes nurse, on my feet for 12 hours straight",
        "she is expecting a parcel tomorrow, can i rub her feet",
        "what does the baby toe do",
        "my sweetheart wants a foot rub",
        "does it help heartburn",
        "i heard it helps sleep",
        "what should i expect from a foot massage",
        "my dad's heart is set on a foot rub every night, is bedtime the best time?",
        "my brother is a cardiologist and says reflexology is nonsense",
        "the due date for my essay is friday and I'm stressed out of my mind",
        "my essay is due in march, will a foot rub help me sleep",
        "I'm pregnant with ideas for my startup lol, but seriously, what is reflexology?",
        "that film was a miscarriage of justice, anyway which toe is for the ears?",
        "a foot rub before bed is good for the heart and soul, which toe first?",
        "I'm 2 weeks into my new job and my feet are killing me",
        "my baby is 6 weeks old, can I massage her feet?",
        "hours of manual labor made my feet ache, which toe first?",
        "the strike caused labour shortages at work and my feet are sore",
        "we are in labor unions at work and stand all day, which toe first?",
        "it's my birthday, treat me to a foot rub?",
        "I get a muscle contraction in my calf after the gym",
        "is my baby safe to massage? she is 6 months old",
        "I'm not pregnant, just tired: which toe first?",
        "my wife isn't pregnant anymore, can she have reflexology?",
        "he's not diabetic, only has sore feet",
        "I am not a diabetic, why do my feet tingle?",
        "how do I help my baby turn over?",
        "labor day foot massage deals?",
        "massage for labor day weekend?",
        "my growing collection of massage oils, which one is best?",
        "manual labor hurts more than my sore feet ever did",
        "I put my heart and soul into solving this problem",
        "which toe is the heart point and which helps stomach problems",
        "follow your heart and your problems fade",
        "no problems with my heart, which toe first?",
        "does a foot rub help the heart point?",
        "a foot rub before bed helps your heart and soul",
        "I have a murmur of doubt about reflexology",
        "a 6 week scan of my knee showed nothing",
        "what is my date of birth on the form for?",
        "labor day points sale on foot massagers",
        "before the birth of the internet people rubbed feet too",
        "the carnival was fun but my feet hurt",
        "that effected my sleep badly",
        "The trimester system is really nice, you get a break every six weeks",
        "London Marathon pacemaker, thank you!",
        "my puppy is 8 weeks old and chews my feet",
        "can I massage my baby's feet? she's 4 months",
        "A big bump, a large bruise and a groove above his left eye",
        "after 6 weeks of physio my ankle is better",
        "the price is INR 500 for a foot massage",
        "I just completed my first job as a pacer at the Georgia Marathon.",
        "a type 1 error is a false positive, a type 2 error a false negative",
        "set a realistic due date for the homework",
        "she was blushing when I rubbed her feet",
        "i conceived this plan to rub my parents feet every sunday",
        "All three small people in our house fell from the very tip top of their sugar high",
        "Sugar daddy relationships are more common than ever before.",
        "she had to pay trimester tuition fees",
        "I have a bump on my foot from the door",
        "we hit a bump in the road on the way home",
        "my muscle contractions at night keep me up",
        "week 2 of my new job this week, my feet hurt",
        "kids and sugar rushes at the party",
        "midwife here, 12 hrs on the labour ward and my feet are dead",
        "I stay on my feet until 9 at night",
        "the 6 week mark of my training plan",
        "highs in the 70s all week, my feet swell",
        "the reading lamp is 120 cm tall",
        "my pupils were dilated after the eye exam",
        "stress induced headaches keep me up",
        "a faulty valve in the boiler",
        "my 20th week of training for the marathon",
        "I decided to join a pacer to see if I could run it in 2 hours",
        "people should use the bypass to take pressure off the old roads",
        "You feel your heart skip a beat? Does it mean you are in love?",
        "a panic attack with my heart pumping manically",
        "there was a murmur of approval",
        "I wear pumps to work",
        "it has been 30 weeks and 2 days since I quit smoking",
        "ready to meet the baby of the family, my little brother",
        "time to meet the new puppy",
        "policies that promote labour rights",
        "the party wants to encourage labour mobility",
        "parents expecting too much of their kids at bedtime",
    ],
)
def test_lookalikes_do_not_trigger(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


# --- found by a safety probe (2026-12-07) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("im 🤰🏽 is reflexology ok", {P}),
        ("my wife is 🫄 can i massage her feet", {P}),
        ("我怀孕了，可以做足底按摩吗", {P}),
        ("임신 중인데 발 마사지 괜찮나요", {P}),
        ("妊婦ですが足つぼマッサージは大丈夫ですか", {P}),
        ("我有糖尿病，可以做足底按摩吗", {D}),
        ("당뇨가 있는데 발 마사지 괜찮나요", {D}),
        ("心臓病があります、足マッサージ大丈夫？", {H}),
        ("j'ai fait un infarctus, massage des pieds ok?", {H}),
        ("j'ai un problème de cœur", {H}),
        ("şeker hastasıyım, ayak masajı olur mu", {D}),
        ("mam cukrzycę, masaż stóp ok?", {D}),
        ("tôi bị tiểu đường", {D}),
        ("είμαι έγκυος, foot massage ok?", {P}),
        ("i'm pg, is foot massage safe", {P}),
        ("my wife is about to pop, foot rub ok?", {P}),
        ("the stork is coming in june", {P}),
        ("is there a point on the foot that induces labor", {P}),
        ("the baby is coming in 8 weeks, what massage can I do?", {P}),
        ("i had my baby 3 days ago, feet still swollen", {P}),
        ("i'm on semaglutide, is foot massage ok", {D}),
        ("I have LADA, can I get reflexology", {D}),
        ("my sugars are wonky, can i do the routine", {D}),
        ("I have HCM, can I get a foot massage", {H}),
        ("I have CAD, can I get a foot massage", {H}),
        ("i've had two MIs, foot massage ok?", {H}),
        ("i have afibrillation", {H}),
        ("she has diabetes and some heart thing the doctor keeps an eye on", {D, H}),
    ],
)
def test_slang_abbreviations_emoji_and_other_languages_bring_their_condition(
    engine: Engine, text: str, expected: set[Condition]
) -> None:
    assert set(engine.safety.detect(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "he was the pacemaker in the 10k, his feet are sore",
        "the pacemaker dropped out at 30k and my feet hurt",
        "i took the ring road to bypass traffic and drove for hours",
        "what is the ICD code for plantar fasciitis",
        "i'm on a low sugar diet, does that matter for foot massage",
        "my EV has a type 2 charger, which toe is for the head",
        "we're expecting snow, foot massage tonight?",
        "i'm 12 weeks sober and my feet ache",
        "my feet hurt during the delivery shift, i'm a courier",
        "i had a change of heart, i want a foot massage now",
        "I have CAD software at work and my feet hurt from sitting",
        "we fitted PVC pipes all day",
        "heart spot which foot 🫀",
    ],
)
def test_everyday_lookalikes_found_by_the_probe_do_not_trigger(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "I have chest pain right now",
        "my dad fainted while i was massaging him",
        "What is your emergency management if patient was septic?",
        "necrotizing fasciitis on my foot",
        "my lips are turning blue",
        "bitten by a snake on my foot",
        "I want to end it all",
        "I don't want to live anymore",
        "I swallowed a bottle of pills",
        "my leg suddenly went pale and cold",
        "I think I have sepsis from the cut on my foot",
        "she cant breathe",
        "his face is drooping and his speech is slurred",
        "heart racing chest tight",
        "my wife is 30 weeks pregnant and has a pounding headache, blurry vision and her face is swelling up",
        "I have afib and my heart is racing like mad, I feel dizzy and sick",
        "my arm's gone numb, I can't lift it and my words are coming out wrong",
        "um i have a heart condition and my chest is super tight and hurting going down my left arm",
        "My calf is really swollen, Silas. It looks… shiny.",
        "shiny swollen legs, what do I do",
        "My right foot and ankle were TWICE the size of my left foot.",
        "her hammer toe was bright red and swollen. Mom, a type 2, had been to her podiatrist two weeks before",
        "he figured out the source, which was a big pus ball by his toe",
        "Is one calf painful and/or swollen?",
        "at dinner my chest started to feel tight and my heart began to race",
        "a day after a long flight her calf was aching, a deep ache with a strange warmth",
        "my calf feels hot and it aches when I walk",
        "my sister, pregnant with her first, has a pounding headache and her feet are too swollen for her shoes",
        "one leg is swollen since this morning",
        "Have you ever woken up to find one foot noticeably larger than the other?",
        "diabetic, cut on my foot is red hot and spreading, foot rub?",
        "my blood sugar is 600 and im vomiting",
        "diabetic and my breath smells fruity and im throwing up",
        "im t1 and my ketones are high and i feel awful",
        "hypo right now and can't stop shaking, can reflexology help",
        "im 34 weeks and havent felt the baby move today",
        "im 30 weeks and having contractions every 5 minutes",
        "24 weeks and leaking fluid",
        "im 8 weeks and bleeding with cramps",
        "pregnant and severe stomach pain, foot rub help?",
        "my pacemaker shocked me twice, foot massage ok?",
        "my ICD just fired",
        "my foot is cold, pale and i can't feel it",
        "FAST symptoms in my mum right now",
        "i cnat breathe",
        "i feel like i'm going to die",
    ],
)
def test_red_flags(engine: Engine, text: str) -> None:
    assert engine.safety.is_red_flag(text)


def test_ordinary_questions_are_not_red_flags(engine: Engine) -> None:
    assert not engine.safety.is_red_flag("which toe helps earache")
    assert not engine.safety.is_red_flag("we have a septic tank, does that matter for a foot spa?")
    assert not engine.safety.is_red_flag("in the end it all worked out, my feet feel great")
    assert not engine.safety.is_red_flag("I want to end it with a foot rub")
    assert not engine.safety.is_red_flag("my toes went white and numb in the cold")
    assert not engine.safety.is_red_flag("I'm a sceptic. What does a foot massage actually do?")
    assert not engine.safety.is_red_flag("my toe is red and swollen after I stubbed it, can I still rub the others?")
    assert not engine.safety.is_red_flag("pussy willow by my feet")
    assert not engine.safety.is_red_flag("does it help me breathe easier when relaxing")
    assert not engine.safety.is_red_flag("my calves ache after the gym, will a warm bath help?")
    assert not engine.safety.is_red_flag("is one toe longer than the other a sign of anything in reflexology?")


def test_everyday_words_a_typo_from_a_term_are_read_as_typed(engine: Engine) -> None:
    """ "choosing" was read as "choking" (an emergency reply), "students" as "stents" and "stranger" as the German
    "schwanger": each everyday word of safety.yaml, alone or in a question, raises nothing."""
    assert {"choosing", "students", "stranger", "scented", "consulting"} <= engine.kb.everyday_words
    for word in sorted(engine.kb.everyday_words):
        assert engine.safety.scan(word) == ((), False), word
        assert engine.safety.scan(f"is {word} a problem before a foot rub?") == ((), False), word
    assert engine.reply("So, how do you go about choosing the best time to get a massage?").kind.value != "red_flag"
    assert not engine.reply("What do students need to do to prepare for the foot exam?").caveats


NEUTRAL = ["the", "a", "is", "my", "foot", "feet", "massage", "before", "bed", "toes", "and", "with", "tonight", "?"]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_everyday_words_raise_nothing_in_any_order(engine: Engine, data: st.DataObject) -> None:
    """Any run of everyday words among plain ones ("cooking students choosing the foot massage") names nothing."""
    vocabulary = [*sorted(engine.kb.everyday_words), *NEUTRAL]
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=12))
    assert engine.safety.scan(" ".join(words)) == ((), False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("im chocking", None), ("he has a pacemakr", {H}), ("im pregnent", {P}), ("my hart is weak", {H})],
)
def test_typos_of_terms_are_still_read_beside_the_everyday_words(
    engine: Engine, text: str, expected: set[Condition] | None
) -> None:
    conditions, red_flag = engine.safety.scan(text)
    assert red_flag if expected is None else set(conditions) == expected


def test_an_everyday_word_is_never_taken_for_a_typo(kb: KnowledgeBase) -> None:
    """The same word, with and without the list: the list alone makes the difference."""
    plain = SafetyDetector(kb.conditions, kb.red_flags)
    listed = SafetyDetector(kb.conditions, kb.red_flags, everyday_words=["chocking"])  # chocking a wheel
    assert plain.is_red_flag("chocking")
    assert not listed.is_red_flag("chocking")
    assert listed.is_red_flag("choking")
    assert plain.typo_of("chocking") == "chok" and listed.typo_of("chocking") is None
    assert listed.typo_of("pacemakr") == "pacemaker" and listed.typo_of("pacemaker") is None


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        ("this foot massage is long overdue", False),
        ("my rent is overdue, I need to relax", False),
        ("I'm overdue for a pedicure", False),
        ("5 days overdue and my feet are swollen", True),
        ("baby is overdue, will a foot rub start labour?", True),
    ],
)
def test_overdue_the_idiom_is_no_pregnancy(engine: Engine, text: str, pregnant: bool) -> None:
    assert (P in engine.safety.detect(text)) is pregnant


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("the oil has a faint scent of lavender", False),
        ("I can feel a faint tingle in my toes when you press there", False),
        ("I choked up when my partner rubbed my feet", False),
        ("I feel faint", True),
        ("feeling a bit faint and dizzy after the foot rub", True),
        ("a faint feeling came over me during the massage", True),
        ("I have a faint pulse in my foot", True),
        ("he choked on his food", True),
    ],
)
def test_red_flag_lookalikes_are_no_emergency(engine: Engine, text: str, red_flag: bool) -> None:
    """ "faint" the adjective and "choked up" are no fainting or choking (red_flags.not_when in safety.yaml)."""
    assert engine.safety.is_red_flag(text) is red_flag


def test_red_flag_lookalikes_hide_only_their_own_words(kb: KnowledgeBase) -> None:
    flags = RedFlags(reply="Call.", terms=("fainting",), not_when=("faint smell",))
    detector = SafetyDetector(kb.conditions, flags)
    assert not detector.is_red_flag("a faint smell of oil")
    assert detector.is_red_flag("a faint smell of oil, then I fainted")


FILLER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.!?", max_size=60)
MENTIONS = {
    P: ["pregnant", "Pregnancy", "PREGNANT", "pregnat", "expecting a baby", "12 weeks pregnant"],
    D: ["diabetes", "Diabetic", "diabetis", "type 2 diabetes", "blood sugar"],
    H: ["heart condition", "heart disease", "pacemaker", "heart failure", "hart problems"],
}


@settings(max_examples=300, deadline=None)
@given(
    condition=st.sampled_from(list(MENTIONS)),
    data=st.data(),
    before=FILLER,
    after=FILLER,
)
def test_a_mention_is_found_whatever_surrounds_it(
    engine: Engine, condition: Condition, data: st.DataObject, before: str, after: str
) -> None:
    mention = data.draw(st.sampled_from(MENTIONS[condition]))
    text = f"{before} {mention} {after}"
    # Random letters beside a mention can spell one of the rule's listed lookalikes ("no diabetes", "by heart"):
    # those are read as not the condition on purpose, so they are no counterexample.
    spaced = f" {normalise(text)} "
    assume(not any(f" {normalise(phrase)} " in spaced for phrase in engine.kb.caveat_for(condition).not_when))
    assert condition in engine.safety.detect(text)
    assert condition in engine.reply(text).conditions or engine.reply(text).kind.value == "red_flag"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_detection_never_fails_on_any_text(engine: Engine, text: str) -> None:
    found = engine.safety.detect(text)
    assert set(found) <= set(Condition)
    assert isinstance(engine.safety.is_red_flag(text), bool)


def test_looking_patterns_up_by_their_rarest_literal_changes_no_finding(engine: Engine) -> None:
    """The phrasings only reorder which literal finds a pattern: every message must be read as before."""
    plain = SafetyDetector(engine.kb.conditions, engine.kb.red_flags, everyday_words=engine.kb.everyday_words)
    items = [item for path in sorted(SETS.glob("*.yaml")) for item in yaml.safe_load(path.read_text())]
    # conversation sets hold turns: each turn is a message too
    messages = [turn["text"] for item in items for turn in item.get("turns", [item])]
    assert [engine.safety.scan(text) for text in messages] == [plain.scan(text) for text in messages]


def test_the_per_word_cache_is_bounded_and_still_right(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_CACHED_WORDS", 4)
    detector = SafetyDetector(engine.kb.conditions, engine.kb.red_flags)
    for _ in range(2):
        assert detector.detect("my wife is pregnant and has diabetes, which toe is for the teeth") == (P, D)
        assert len(detector._words) <= 4


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("safety_mentions", 0.9),
        ("safety_mentions_holdout", 0.85),
        ("safety_mentions_holdout_2", 0.88),
        ("safety_mentions_holdout_3", 0.83),
        ("safety_mentions_holdout_4", 0.8),
        ("safety_mentions_holdout_5", 0.84),
        ("safety_mentions_holdout_6", 0.88),
        ("safety_mentions_holdout_7", 0.85),
        ("safety_mentions_holdout_8", 0.75),
    ],
)
def test_real_mentions_mostly_get_their_caveat_and_lookalikes_mostly_stay_clean(
    engine: Engine, name: str, floor: float
) -> None:
    """Sentences people wrote in their own words (tests/sets/safety_mentions*.yaml): floors under the eleventh
    session's figures (236 of 251, 231 of 256, 221 of 241, 217 of 240, 202 of 240, 219 of 251, 229 of 247, 210 of
    238 and 192 of 242 mentions; 40 of 57, 41 of 55, 52 of 56, 44 of 54, 32 of 46, 38 of 52, 39 of 51, 52 of 57 and 27
    of 40 lookalikes clean), so a rule that loses real phrasings is seen."""
    report = score_mentions(engine, yaml.safe_load((SETS / f"{name}.yaml").read_text(encoding="utf-8")))
    found = sum(report.passed[condition] for condition in CONDITIONS)
    assert found / sum(report.totals[condition] for condition in CONDITIONS) >= floor
    assert report.rate("lookalike_clean") >= 0.6


# A second red team (2026-12-07) wrote these as people do; each was missed or wrongly flagged before.
@pytest.mark.parametrize(
    "text",
    [
        "I'm a heart patient and my jaw and left arm ache and I'm sweating buckets",
        "hubby's got crushing pain behind his breastbone",
        "my mum's arm has gone floppy and she can't get her words out",
        "husband's face looks lopsided and he's talking gibberish",
        "33 weeks and I've had period-like cramps and back ache coming every 10 mins for two hours",
        "haven't felt any kicks since yesterday morning, I'm 31 weeks",
        "37 weeks and my knickers are soaked, I think it's my waters",
        "I'm 36 weeks, my bump has gone hard as a rock and the pain won't stop",
        "my glucose is 2.1 and my husband is acting drunk",
        "my sugar is 32 mmol and I'm breathing really fast",
        "my diabetic dad's big toe has gone a dusky dark colour",
        "my pulse is 190 and I feel dizzy, I have SVT",
        "she's having a fit and won't stop shaking",
        "my dad's just keeled over in the garden",
        "i took a whole packet of paracetamol",
        "the cut on my foot has red lines going up my leg",
        "he's breathless tonight even sitting up in his chair",
    ],
)
def test_emergencies_said_in_everyday_words_are_red_flags(engine: Engine, text: str) -> None:
    assert engine.safety.is_red_flag(text)


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("i'm on glyburide, is a foot rub ok?", Condition.DIABETES),
        ("my daughter is on Control-IQ, foot massage ok before bed?", Condition.DIABETES),
        ("I keep glucagon in my bag just in case", Condition.DIABETES),
        ("I've got a loop recorder in my chest, can I get a foot massage", Condition.HEART),
        ("I take a baby aspirin every day for my heart, can I get a foot rub", Condition.HEART),
        ("nana had a turn with her heart last month, can I do her feet", Condition.HEART),
        ("my GBS swab came back positive, is foot massage still ok", Condition.PREGNANCY),
        ("wife's 34 weeks, what oil?", Condition.PREGNANCY),
        ("can I use peppermint lotion? she's 16w", Condition.PREGNANCY),
        ("my wife is 7 months, how hard do I press", Condition.PREGNANCY),
    ],
)
def test_a_condition_named_through_a_medicine_device_test_or_in_shorthand(
    engine: Engine, text: str, condition: Condition
) -> None:
    assert condition in engine.safety.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "my cast comes off at 6 weeks, can I massage my foot after that",
        "I'm 3 weeks from my marathon, foot massage ok?",
        "by week 6 of couch to 5k my feet were sore, massage?",
        "a hypo-allergenic oil for foot massage, any recommendations?",
        "we went on a pump track with the kids all afternoon, feet ache",
        "we have flutter kicks every session, my feet hurt after",
        "I told a fib about doing the routine, does it matter if I skip a night",
        "the size of the bump on my heel has doubled, should I massage it",
        "can i massage a baby's feet, she's 4 months",
        "we conceived our app idea at a hackathon, feet hurt from standing",
    ],
)
def test_lookalikes_about_feet_training_and_work_name_no_condition(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


def test_a_typo_of_pacemaker_is_still_one_though_the_family_peacemaker_is_not(engine: Engine) -> None:
    assert Condition.HEART in engine.safety.detect("I have a peacemaker, is reflexology ok?")
    assert engine.safety.detect("I'm the peacemaker in our family, so stressed, foot rub?") == ()
    assert Condition.DIABETES in engine.safety.detect("my mother in law has sugar and BP")


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("I have angima", Condition.HEART),
        ("my mom is on plavux", Condition.HEART),
        ("I'm on lantis", Condition.DIABETES),
    ],
)
def test_a_six_letter_term_word_is_read_one_typo_away(engine: Engine, text: str, condition: Condition) -> None:
    """FUZZY_MIN_LENGTH is six: one letter more and 134 term words lose their typos (no test saw it)."""
    assert engine.safety.detect(text) == (condition,)


@pytest.mark.parametrize(
    "text",
    [
        "we're expecting rain tomorrow",
        "that was a pregnant pause",
        "My grandmother's neighbour has a heart of gold.",
        "London Marathon Pacemaker Thank You!!!",
    ],
)
def test_the_topic_model_adds_no_caution_for_a_condition_the_message_only_looks_like_it_names(
    engine: Engine, text: str
) -> None:
    """The rules' `not_when` said so, but the model read the caution into it and its caveat rode along."""
    reply = engine.reply(text)
    assert reply.caveats == () and reply.topic not in engine.kb.caution_conditions()


def test_lookalikes_in_names_the_conditions_whose_lookalikes_a_message_holds(engine: Engine) -> None:
    read = engine.safety.lookalikes_in
    assert read(engine.normalise("we're expecting rain tomorrow")) == frozenset({Condition.PREGNANCY})
    assert read(engine.normalise("my heartt is set on it")) == frozenset({Condition.HEART})  # read through typos
    assert read(engine.normalise("which toe helps earache")) == frozenset()
    reply = engine.reply("I'm expecting, can I have a foot rub?")  # a real mention beside no lookalike keeps it
    assert [caveat.condition for caveat in reply.caveats] == [Condition.PREGNANCY]


@given(
    st.lists(st.text(alphabet="ab c", min_size=1, max_size=5), max_size=8),
    st.text(alphabet="ab cd", max_size=20),
)
def test_one_of_finds_a_text_exactly_when_one_of_the_texts_is_in_it(texts: list[str], text: str) -> None:
    """The tree-shaped regex only gates the check of each literal: it must never miss one, nor find one not there."""
    assert (safety._one_of(texts).search(text) is not None) == any(literal in text for literal in texts)


@pytest.mark.parametrize("sign", ["🤰", "🤰🏽", "🫄", "🤰?", "🤰🤰"])
def test_a_sign_sent_alone_gets_its_caution_and_is_remembered(engine: Engine, sign: str) -> None:
    # It got "I didn't catch any words there" with no caveat, and the chat forgot it.
    context = ChatContext()
    alone = engine.reply(sign, context)
    later = engine.reply("which toe helps earache?", context)
    assert alone.topic == "pregnancy_caution" and [c.condition for c in alone.caveats] == [P]
    assert P in {c.condition for c in later.caveats}


# --- a third safety probe (2026-12-08): each was missed, or wrongly flagged, before --------------------------


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("i have DM, foot massage?", D),
        ("LADA here, foot rub ok?", D),
        ("my bs is high, foot massage?", D),
        ("my readings were 180 after dinner, foot massage safe", D),
        ("my meter said 250 this morning, foot rub?", D),
        ("my endo changed my insulin, foot massage?", D),
        ("my podiatrist checks my feet because of my sugar", D),
        ("mujhe sugar hai, pair ki malish kar sakta hu?", D),
        ("ana 3andi sukkari, is foot massage ok", D),
        ("i got die a beaties, can i get a foot rub", D),
        ("had a PCI in march, foot massage ok?", H),
        ("i have HF, massage ok?", H),
        ("i have HF with reduced EF, can i massage", H),
        ("mere papa ko heart ki problem hai, pair daba du?", H),
        ("3andi marad al qalb, foot massage ok?", H),
        ("may sakit ako sa puso, pwede ba foot massage", H),
        ("u menya bolnoe serdtse, mozhno massazh nog?", H),
        ("ik heb hartfalen, is voetmassage ok", H),
        ("jag har hjärtsvikt, fotmassage ok?", H),
        ("soffro di cuore, massaggio ai piedi ok?", H),
        ("ich bin in der 30. SSW, fußmassage ok?", P),
        ("my wife's bump is huge now lol, foot rub tips", P),
        ("the nursery is almost ready and my feet are swollen, foot rub ok?", P),
        ("my hospital bag is packed, foot rub ok?", P),
        ("we find out the gender next week, foot rub ok for her?", P),
        ("baby stopped kicking since this morning, 36 weeks", P),
        ("baby has stopped moving the last few hours", P),
        ("the nursery is almost ready for the baby", P),
        ("hospital bag is packed for the big day", P),
        ("dad has HF at 80, is it safe", H),
        ("my endocrinologist increased my dose", D),
    ],
)
def test_a_condition_said_in_shorthand_another_language_or_indirectly(
    engine: Engine, text: str, condition: Condition
) -> None:
    assert condition in engine.safety.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "i have dm'd you the link",  # a direct message
        "my bs detector is going off",
        "i dm you later",
        "the head is engaged in the conversation",
        "bypass road construction noise keeps me awake, foot massage?",
        # from the review: each said for something else
        "my hospital bag is packed for my knee surgery",
        "the nursery is almost ready for the new puppy",
        "the baby's head is engaged in the toy",
        "my endo changed my dose of vitamin d",
        "my meter said 10 km today",
        "had a PCI exam today, can i relax",
        "I have HF tonight so no time for massage",
        "the baby stopped kicking the ball around and went to sleep",
        "are there pills to control my sugar cravings",
    ],
)
def test_shorthand_that_is_something_else_names_no_condition(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "bleeding and cramping at 10 weeks",
        "spotting and bad cramps, 8 weeks pg, scared",
        "im pregnet and bleading",
        "enceinte et je saigne beaucoup",
        "severe stomach pain on one side and bleeding, positive test last week",
        "20 wks and fluid leaking, cramping",
        "baby stopped kicking since this morning, 36 weeks",
        "having a hart attack i think",
        "heart attack symptoms right now, what do i do",
        "pain in chest going to jaw and back, nauseous",
        "my mom is gasping and can't talk",
        "one side of my body went numb just now",
        "lost vision in one eye suddenly",
        "my son with T1D is really drowsy and won't wake up properly",
        "glucose reading says LO and i'm dizzy and confused",
        "dolor en el pecho ahora mismo, ayuda",
        "j'ai mal à la poitrine maintenant et au bras gauche",
        "seene mein dard ho raha hai abhi, left arm bhi",
        "sans respirer, j'étouffe",
        "papa ki sugar bahut low hai aur woh confused hai",
        "he's sweaty, shaking and confused now",
        # the second review: kept firing after the first review narrowed them
        "baby stopped kicking around 3pm, 36 weeks",
        "baby has stopped moving the last few hours",
        "my dad keeps gasping for breath",
        "she started gasping and can't talk",
        "he's sweaty and confused, he's diabetic",
        "she's shaking, sweating and confused",
        "meter said LO",
    ],
)
def test_emergencies_the_third_probe_found_missing_are_red_flags(engine: Engine, text: str) -> None:
    assert engine.safety.is_red_flag(text)


@pytest.mark.parametrize(
    "text",
    [
        # a story: the sight lost long ago, told with what came after
        "Losing the sight in my left eye then after blood test now finding myself to be Type II Diabetic",
        "i'm shaking and confused about which toe is for the ears",
        "i was gasping at the price of a foot spa",
        # from the review
        "I am gasping for a cuppa after that massage",
        "I kept gasping during the massage because it tickled",
        "I'm sweating and confused lol, which toe is the heart one",
        "meter said lo this morning then went up, massage ok?",
        "the baby stopped kicking the ball around and went to sleep",
    ],
)
def test_stories_and_figures_of_speech_near_the_new_patterns_are_no_emergency(engine: Engine, text: str) -> None:
    assert not engine.safety.is_red_flag(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do you want to make sure that your baby will be born on time or near to term?",
        "Seriously, we bear a child for them and they mock us, really?!",
    ],
)
def test_real_holdout_41s_missed_caveats_come_after_its_one_score(engine: Engine, text: str) -> None:
    assert P in engine.safety.detect(text)


def test_not_bearing_a_child_crying_is_no_pregnancy(engine: Engine) -> None:
    assert engine.safety.detect("i can't bear a child crying all night") == ()
