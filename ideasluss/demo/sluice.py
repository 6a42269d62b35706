"""Believable demo ideas for `seed_demo`: thirty Swedish municipal ideas spread over every state.

Every idea is written by its demo owner and moved through the real services
(`ideasluss.ideas.services` for the data, `workflows.services` for the state
changes), so permissions, guards, the timeline (django-fsm-log) and
notifications are the real thing. Afterwards the timestamps are moved back in
time, in order, so that "days waiting" and the timelines look like months of
real use. Running it again skips an idea whose owner already has one with the
same title.
"""

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog
from workflows.services import IDEA_TRANSITION_SERVICES

from ideasluss.accounts.models import Unit, User
from ideasluss.ideas.models import Champion, Comment, Evaluation, Idea, TestPlan
from ideasluss.ideas.services import (
    champion_toggle,
    comment_add,
    comment_hide,
    evaluation_save,
    idea_add_co_owner,
    idea_create_draft,
    idea_record_outcome,
    idea_set_consent,
    test_plan_save,
)

COACH = "cia"
DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
QUIET_LOGGERS = ("django_tasks", "wagtail")  # task runs; Wagtail's page and image log


@dataclass(frozen=True, kw_only=True)
class Step:
    """One state change: `transition` by `by` (the owner when empty), `days_ago` days ago."""

    transition: str
    days_ago: int
    by: str = ""
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class PlanSpec:
    """A test plan. It starts on the day of the `start_test` step and runs `weeks` weeks;
    an idea still in planning starts `starts_in_days` from today. After an `iterate` step
    the plan is extended to `weeks_after_iterate` weeks from that day."""

    hypothesis: str
    criteria: tuple[str, ...]
    weeks: int
    resources: str = ""
    starts_in_days: int = 14
    weeks_after_iterate: int = 0


@dataclass(frozen=True, kw_only=True)
class EvaluationSpec:
    """One result per success criterion, in the order of the plan's criteria."""

    results: tuple[str, ...]
    surprises: str = ""
    next_step: str = ""


@dataclass(frozen=True, kw_only=True)
class ChampionSpec:
    by: str
    days_ago: int
    offer: str = ""


@dataclass(frozen=True, kw_only=True)
class CommentSpec:
    by: str
    days_ago: int
    body: str
    hidden_reason: str = ""  # hidden by the coach with this reason


@dataclass(frozen=True, kw_only=True)
class IdeaSpec:
    owner: str
    title: str
    problem: str
    target_group: str = ""
    description: str = ""
    first_test: str = ""
    needs_hours: int | None = None
    needs_substitute: bool = False
    needs_money: int | None = None
    needs_other_units: str = ""
    tags: tuple[str, ...] = ()
    created_days_ago: int
    co_owners: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    plan: PlanSpec | None = None
    first_evaluation: EvaluationSpec | None = None  # before an iteration
    evaluation: EvaluationSpec | None = None
    lessons: str = ""
    run_by: tuple[str, str] | None = None  # (unit name, contact) for a scaled idea
    consent: bool = False
    champions: tuple[ChampionSpec, ...] = ()
    comments: tuple[CommentSpec, ...] = ()


IDEAS: tuple[IdeaSpec, ...] = (
    # --- Utkast (draft) ---------------------------------------------------------------
    IdeaSpec(
        owner="anna",
        title="Påminnelse-sms före hembesök",
        problem=(
            "Brukare blir oroliga när vi kommer vid en annan tid än vanligt, och ibland står "
            "vi utanför en låst dörr för att brukaren har gått till affären."
        ),
        description=(
            "Ett automatiskt sms till brukaren eller en anhörig en halvtimme innan vi kommer."
        ),
        tags=("hemtjänst", "sms"),
        created_days_ago=6,
    ),
    IdeaSpec(
        owner="bo",
        title="Utomhusklassrum på skolgården",
        problem=(
            "Eleverna sitter inne nästan hela skoldagen, och många har svårt att koncentrera "
            "sig efter lunch. Skolgården används bara på rasterna."
        ),
        target_group="elever i årskurs 1–3 på Norrskolan",
        description=(
            "Ett enkelt uterum med sittstockar, whiteboard och regnskydd där varje klass har "
            "en lektion i veckan utomhus."
        ),
        first_test="Två klasser har matte och NO ute en gång i veckan under sex veckor i maj.",
        needs_hours=30,
        needs_money=15000,
        needs_other_units="Gata och park: hjälp med stockar och placering",
        tags=("skola", "utomhuspedagogik", "hälsa"),
        created_days_ago=12,
    ),
    IdeaSpec(
        owner="eva",
        title="Enklare attest av småinköp",
        problem=(
            "Varje inköp under 2 000 kronor måste attesteras av två personer, även en tårta "
            "till en avtackning."
        ),
        target_group="chefer och administratörer som gör småinköp",
        description=(
            "Låt inköp under 2 000 kronor attesteras av en person, med stickprovskontroller "
            "i efterhand."
        ),
        first_test=(
            "Prova den enklare attestordningen på två enheter i tre månader och jämför "
            "antalet fel med andra enheter."
        ),
        needs_hours=16,
        tags=("ekonomi", "administration"),
        created_days_ago=40,
        steps=(
            Step(transition="submit", days_ago=38),
            Step(
                transition="return_to_owner",
                days_ago=35,
                by=COACH,
                message=(
                    "Tack för idén! Innan vi går vidare: beskriv gärna problemet mer konkret – "
                    "hur många småinköp attesteras i månaden, hur lång tid tar det, och vem "
                    "väntar? Då blir det lättare att planera ett bra test. Skicka in igen när "
                    "du är klar."
                ),
            ),
        ),
    ),
    IdeaSpec(
        owner="admin",
        title="Idéfika en gång i månaden",
        problem=(
            "Många medarbetare har idéer men vet inte hur de ska komma vidare, och det känns "
            "stort att skicka in något i idéslussen."
        ),
        target_group="medarbetare som funderar på en idé",
        description=(
            "En öppen timme i månaden där innovationscoacherna bjuder på fika och hjälper "
            "till att formulera problemet och ett första litet test."
        ),
        first_test="Tre idéfikor under hösten, en i varje förvaltningshus.",
        needs_hours=12,
        tags=("innovation", "arbetsplatskultur"),
        created_days_ago=3,
    ),
    # --- Inskickad (submitted): the coach's inbox ----------------------------------------
    IdeaSpec(
        owner="bo",
        title="Språkvänner för nyanlända föräldrar",
        problem=(
            "Föräldrar som är nya i Sverige missar information från skolan – veckobrev, "
            "utvecklingssamtal och utflykter – eftersom de inte läser svenska än. Barnen får "
            "ofta tolka åt sina föräldrar."
        ),
        target_group="nyanlända vårdnadshavare på Norrskolan",
        description=(
            "Varje ny familj får en språkvän: en förälder som talar samma språk, har bott här "
            "några år och hjälper till med skolans information under första terminen."
        ),
        first_test="Fem språkvänner och tio familjer under en termin, med en träff i månaden.",
        needs_hours=20,
        needs_money=8000,
        needs_other_units="Stadsbiblioteket (lokal för träffarna)",
        tags=("skola", "integration", "föräldrar"),
        created_days_ago=8,
        steps=(Step(transition="submit", days_ago=3),),
        champions=(
            ChampionSpec(
                by="fia",
                days_ago=2,
                offer="Vi på biblioteket kan låna ut språkcaféets lokal på kvällstid.",
            ),
            ChampionSpec(by="anna", days_ago=1),
        ),
        comments=(
            CommentSpec(
                by="fia",
                days_ago=2,
                body="Vi har flera språkcaféledare som kanske vill vara språkvänner!",
            ),
        ),
    ),
    IdeaSpec(
        owner="anna",
        title="Lunchvänner på Solrosen",
        problem=(
            "Många äldre med hemtjänst äter ensamma varje dag. Ensamheten syns i sämre aptit, "
            "och vi som kommer hem till dem hinner bara stanna några minuter."
        ),
        target_group="äldre med hemtjänst som bor ensamma",
        description=(
            "Bjud in två till tre brukare i taget att äta lunch med de boende i Solrosens "
            "matsal, med färdtjänst dit och hem."
        ),
        first_test="En lunch i veckan under åtta veckor för sex brukare.",
        needs_hours=40,
        needs_money=12000,
        needs_other_units="Äldreboendet Solrosen (matsalen), färdtjänsten",
        tags=("äldreomsorg", "ensamhet", "måltider"),
        created_days_ago=15,
        steps=(Step(transition="submit", days_ago=9),),
        champions=(
            ChampionSpec(
                by="eva", days_ago=7, offer="Jag kan hjälpa till att räkna på färdtjänsten."
            ),
            ChampionSpec(by="bo", days_ago=6),
        ),
        comments=(
            CommentSpec(by="eva", days_ago=8, body="Vilken fin idé! Min mamma skulle älska det."),
        ),
    ),
    IdeaSpec(
        owner="dan",
        title="Grovsopor på beställning",
        problem=(
            "Grovsoprummen i kommunens flerbostadshus blir överfulla, och det som inte får "
            "plats ställs på gården. Vi hämtar skräp från gårdarna flera gånger i veckan."
        ),
        target_group="hyresgäster i kommunens bostäder och renhållningen på Gata och park",
        description=(
            "Hyresgästerna bokar hämtning av grovsopor med ett sms eller på en enkel webbsida, "
            "och vi hämtar en fast dag i veckan per område."
        ),
        first_test=(
            "Ett bostadsområde i Norr får boka hämtning under två månader; vi räknar hur ofta "
            "vi måste hämta skräp från gården före och under testet."
        ),
        needs_hours=60,
        needs_money=20000,
        needs_other_units="Bostadsbolaget, kundtjänst",
        tags=("avfall", "återvinning", "boende"),
        created_days_ago=20,
        steps=(Step(transition="submit", days_ago=16),),
        champions=(ChampionSpec(by="eva", days_ago=14),),
    ),
    IdeaSpec(
        owner="fia",
        title="Unga bestämmer över sommarlovets aktiviteter",
        problem=(
            "Sommarlovsaktiviteterna planeras av vuxna, och många av dem lockar få ungdomar. "
            "Samtidigt säger unga i enkäter att det finns för lite att göra på sommaren."
        ),
        target_group="ungdomar 13–17 år i kommunen",
        description=(
            "En ungdomsjury fördelar en del av sommarlovspengarna mellan förslag som "
            "ungdomarna själva har skickat in."
        ),
        first_test=(
            "Ungdomsjuryn fördelar 50 000 kronor av årets sommarlovsbidrag; vi jämför hur "
            "många som deltar med förra sommaren."
        ),
        needs_hours=50,
        needs_other_units="Fritidsgårdarna och högstadieskolorna",
        tags=("ungdomar", "demokrati", "fritid"),
        created_days_ago=11,
        steps=(Step(transition="submit", days_ago=5),),
        champions=(
            ChampionSpec(
                by="bo", days_ago=3, offer="Jag kan sprida uppropet i klasserna på Norrskolan."
            ),
        ),
    ),
    IdeaSpec(
        owner="eva",
        title="Gemensam upphandlingskalender",
        problem=(
            "Enheterna vet inte om varandras upphandlingar. Samma sorts tjänster upphandlas "
            "ibland två gånger samma år, och vi köper i mindre volymer än vi kunde. "
            "Inköpssamordnarna uppskattar att var tredje upphandling hade kunnat samordnas."
        ),
        target_group="enheter som gör upphandlingar, och inköpssamordnarna",
        description=(
            "En gemensam kalender på intranätet där varje enhet lägger in sina planerade "
            "upphandlingar ett år framåt."
        ),
        first_test=(
            "Tre förvaltningar fyller i kalendern inför nästa år; vi räknar hur många "
            "upphandlingar som kan samordnas."
        ),
        needs_hours=24,
        tags=("ekonomi", "upphandling", "samverkan"),
        created_days_ago=30,
        steps=(
            Step(transition="submit", days_ago=28),
            Step(
                transition="return_to_owner",
                days_ago=24,
                by=COACH,
                message=(
                    "Tack! Idén är bra, men beskrivningen handlar mest om lösningen. Skriv "
                    "gärna vilka som drabbas när upphandlingar krockar och vad det kostar i "
                    "dag, så tar vi den vidare."
                ),
            ),
            Step(transition="submit", days_ago=4),
        ),
        champions=(ChampionSpec(by="dan", days_ago=3),),
    ),
    # --- Planering (planning) ------------------------------------------------------------
    IdeaSpec(
        owner="bo",
        title="Vikariepool för skolorna i Norr",
        problem=(
            "När en lärare är sjuk ringer rektorn runt på morgonen för att hitta en vikarie. "
            "Ofta går det inte, och lektionen ställs in eller klassen slås ihop med en annan."
        ),
        target_group="elever och lärare på de tre skolorna i Norr",
        description=(
            "En gemensam pool med fasta vikarier för tre skolor, och ett gemensamt nummer "
            "för sjukanmälan."
        ),
        first_test="Tre skolor delar fyra vikarier under en termin.",
        needs_hours=80,
        needs_other_units="HR (anställningsform), de två andra skolorna i Norr",
        tags=("skola", "bemanning", "vikarier"),
        created_days_ago=75,
        steps=(
            Step(transition="submit", days_ago=72),
            Step(
                transition="accept",
                days_ago=66,
                by=COACH,
                message="Välkommen in i planeringen! Jag bokar ett första möte om testplanen.",
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om tre skolor delar fyra fasta vikarier som känner skolorna, får fler "
                "lektioner en vikarie och färre lektioner ställs in."
            ),
            criteria=(
                "Högst 5 % av lektionerna med frånvarande lärare ställs in (i dag 12 %)",
                "Minst 80 % av vikariepassen bemannas av poolens vikarier",
                "Rektorerna lägger mindre än en timme i veckan på att ringa vikarier",
            ),
            weeks=10,
            resources=(
                "Fyra vikarier på 75 %, betalda ur skolornas vikariebudget; schemaläggning "
                "på Norrskolans expedition."
            ),
            starts_in_days=21,
        ),
        champions=(
            ChampionSpec(
                by="eva",
                days_ago=60,
                offer="Jag kan hjälpa till att räkna på vad vikarierna kostar i dag.",
            ),
            ChampionSpec(by="dan", days_ago=62),
        ),
        comments=(
            CommentSpec(by="fia", days_ago=58, body="Har ni pratat med HR om anställningsformen?"),
            CommentSpec(by="bo", days_ago=57, body="Ja, vi träffar HR nästa vecka."),
        ),
    ),
    IdeaSpec(
        owner="fia",
        title="Bokpåsar till förskolorna",
        problem=(
            "Många förskolebarn har få eller inga böcker hemma, och familjerna hittar inte "
            "till biblioteket. Språkutvecklingen börjar med högläsning, men den når inte alla."
        ),
        target_group="förskolebarn och deras familjer",
        description=(
            "Biblioteket packar tygpåsar med böcker på flera språk, och förskolan lånar ut "
            "dem till familjerna varje fredag."
        ),
        first_test="Ekbackens förskola testar bokpåsar på två avdelningar under åtta veckor.",
        needs_hours=40,
        needs_money=9000,
        needs_other_units="Ekbackens förskola",
        tags=("bibliotek", "förskola", "läsning", "språk"),
        created_days_ago=50,
        steps=(
            Step(transition="submit", days_ago=47),
            Step(transition="accept", days_ago=41, by=COACH),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om förskolebarnen får låna hem en bokpåse varje vecka, läser fler familjer "
                "högt hemma och fler skaffar ett eget lånekort."
            ),
            criteria=(
                "Minst 70 % av familjerna lånar en påse minst varannan vecka",
                "Minst 15 nya lånekort bland familjerna",
                "Pedagogerna lägger högst 30 minuter i veckan på utlåningen",
            ),
            weeks=8,
            resources="60 påsar med fem böcker var; bibliotekets bil kör dem en gång i veckan.",
            starts_in_days=10,
        ),
        champions=(
            ChampionSpec(
                by="bo",
                days_ago=44,
                offer="Vi på Norrskolan tar gärna över påsarna när barnen börjar förskoleklass.",
            ),
            ChampionSpec(by="anna", days_ago=43),
        ),
        comments=(
            CommentSpec(
                by="bo",
                days_ago=45,
                body=(
                    "Tänk på att ha böcker på arabiska, somaliska och dari – det är de "
                    "vanligaste språken hos oss."
                ),
            ),
        ),
    ),
    IdeaSpec(
        owner="dan",
        title="Ängsmark i stället för klippt gräs",
        problem=(
            "Vi klipper stora gräsytor varannan vecka hela sommaren, även där ingen vistas. "
            "Det kostar tid och bränsle, och gräsmattorna ger nästan ingen mat åt bin och "
            "andra pollinerare."
        ),
        target_group="skötselpersonalen på Gata och park och alla som använder parkerna",
        description=(
            "Delar av de stora gräsytorna blir äng som slås en gång om året, med en klippt "
            "gång genom ängen och skyltar som berättar varför."
        ),
        first_test="Två ytor på sammanlagt en hektar i Norrparken blir äng under en säsong.",
        needs_hours=30,
        needs_money=25000,
        tags=("park", "biologisk mångfald", "klimat"),
        created_days_ago=35,
        steps=(
            Step(transition="submit", days_ago=30),
            Step(
                transition="accept",
                days_ago=6,
                by=COACH,
                message="Förlåt att det dröjde! Nu planerar vi testet inför nästa säsong.",
            ),
        ),
        champions=(
            ChampionSpec(
                by="fia", days_ago=20, offer="Biblioteket kan göra en utställning om pollinerare."
            ),
            ChampionSpec(by="anna", days_ago=25),
        ),
        comments=(
            CommentSpec(by="eva", days_ago=22, body="Blir det inte fler fästingar i parken?"),
            CommentSpec(
                by="dan",
                days_ago=21,
                body="Bra fråga! Vi klipper breda gångar och stämmer av med miljöenheten.",
            ),
        ),
    ),
    IdeaSpec(
        owner="eva",
        title="Digital introduktion för nyanställda",
        problem=(
            "Nyanställda får en pärm och en lång lista med länkar första dagen. Många hittar "
            "inte det de behöver och frågar kollegor om samma saker, och cheferna lägger "
            "mycket tid på att förklara löneportalen och systemen."
        ),
        target_group="nyanställda och deras chefer",
        description=(
            "En kort digital introduktion i mobilen: filmer på två minuter om lön, ledighet, "
            "IT och arbetsmiljö som den nyanställda ser under första månaden."
        ),
        first_test=(
            "Alla som börjar på Ekonomienheten och Innovationsenheten under sex veckor får "
            "den digitala introduktionen."
        ),
        needs_hours=60,
        needs_other_units="HR, kommunikationsenheten",
        tags=("HR", "introduktion", "digitalisering"),
        created_days_ago=60,
        co_owners=("admin",),
        steps=(
            Step(transition="submit", days_ago=55),
            Step(transition="accept", days_ago=50, by=COACH),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om nyanställda får korta filmer om lön, ledighet och systemen under första "
                "månaden, behöver de fråga mindre och känner sig snabbare hemma."
            ),
            criteria=(
                "Minst 80 % av de nyanställda ser alla filmer",
                "Cheferna lägger hälften så mycket tid på introduktionen som i dag",
                "De nyanställda ger introduktionen minst 4 av 5 i betyg",
            ),
            weeks=6,
            resources="Tolv filmer som vi spelar in själva i bibliotekets studio.",
            starts_in_days=7,
        ),
        champions=(
            ChampionSpec(
                by="fia",
                days_ago=52,
                offer="Ni får låna inspelningsstudion på biblioteket.",
            ),
        ),
    ),
    # --- Test pågår (testing) ------------------------------------------------------------
    IdeaSpec(
        owner="fia",
        title="Läxhjälp på biblioteket",
        problem=(
            "Många elever i årskurs 4–6 får ingen hjälp med läxorna hemma, och skolans "
            "läxhjälp slutar klockan 15. Biblioteket är fullt av elever på eftermiddagarna, "
            "men personalen hinner inte hjälpa dem."
        ),
        target_group="elever i årskurs 4–6",
        description=(
            "Läxhjälp två eftermiddagar i veckan på biblioteket, med lärarstudenter och "
            "pensionerade lärare som volontärer."
        ),
        first_test="Läxhjälp tisdagar och torsdagar klockan 15–18 under en termin.",
        needs_hours=80,
        needs_money=15000,
        needs_other_units="Norrskolan (sprida information till eleverna)",
        tags=("bibliotek", "skola", "läxhjälp", "volontärer"),
        created_days_ago=130,
        co_owners=("bo",),
        steps=(
            Step(transition="submit", days_ago=126),
            Step(transition="accept", days_ago=120, by=COACH),
            Step(transition="start_test", days_ago=100),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om läxhjälpen finns där eleverna redan är på eftermiddagen, kommer fler av "
                "dem som behöver hjälp, och fler gör klart sina läxor."
            ),
            criteria=(
                "Minst 15 elever kommer varje vecka",
                "Minst 8 volontärer är med hela terminen",
                "Lärarna på Norrskolan ser att fler lämnar in läxorna",
            ),
            weeks=12,
            resources="Studieplatserna på barnavdelningen, fika till volontärerna.",
        ),
        champions=(
            ChampionSpec(by="anna", days_ago=110),
            ChampionSpec(
                by="dan", days_ago=108, offer="Jag kan vara volontär i matte på torsdagar."
            ),
            ChampionSpec(by="eva", days_ago=95),
        ),
        comments=(
            CommentSpec(
                by="eva",
                days_ago=60,
                body="Jag hämtade min son här i torsdags – det var fullt vid alla bord!",
            ),
            CommentSpec(
                by=COACH,
                days_ago=10,
                body=(
                    "Testperioden är slut. Hur gick det? Boka gärna en tid med mig, så skriver "
                    "vi utvärderingen tillsammans."
                ),
            ),
        ),
    ),
    IdeaSpec(
        owner="anna",
        title="Videosamtal med anhöriga",
        problem=(
            "Anhöriga som bor långt bort ringer ofta till hemtjänsten för att höra hur mamma "
            "eller pappa mår. Samtalen tar tid från besöken, och de anhöriga får ändå inte se "
            "sin förälder."
        ),
        target_group="äldre med hemtjänst och deras anhöriga",
        description=(
            "En surfplatta med ett förenklat videosamtal – en knapp per anhörig – hos de "
            "brukare som vill, så att de kan ringa själva eller med hjälp av personalen."
        ),
        first_test="Tio brukare i Hemtjänst Norr får en surfplatta under tio veckor.",
        needs_hours=40,
        needs_money=30000,
        needs_other_units="IT-enheten (surfplattor och support)",
        tags=("hemtjänst", "välfärdsteknik", "anhöriga", "ensamhet"),
        created_days_ago=95,
        steps=(
            Step(transition="submit", days_ago=92),
            Step(transition="accept", days_ago=85, by=COACH),
            Step(transition="start_test", days_ago=40),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om brukarna kan ha videosamtal med sina anhöriga, blir de mindre ensamma och "
                "de anhöriga ringer mer sällan till hemtjänsten."
            ),
            criteria=(
                "Minst 7 av 10 brukare har ett videosamtal minst en gång i veckan",
                "Samtalen från anhöriga till hemtjänsten halveras",
                "Brukarna säger att de känner sig mindre ensamma",
            ),
            weeks=10,
            resources="Tio surfplattor från IT-enheten och en timme i veckan för personalen.",
        ),
        champions=(
            ChampionSpec(
                by="fia",
                days_ago=88,
                offer="Bibliotekets digitala ombud kan lära brukarna att använda plattan.",
            ),
            ChampionSpec(by="eva", days_ago=80),
            ChampionSpec(
                by="bo",
                days_ago=70,
                offer="Min pappa har hemtjänst i en annan kommun – jag berättar gärna hur det "
                "är att vara anhörig på distans.",
            ),
        ),
        comments=(
            CommentSpec(
                by="bo",
                days_ago=75,
                body=(
                    "Karl Svensson på Björkvägen 12 har hemtjänst och är väldigt ensam, han "
                    "borde få vara med!"
                ),
                hidden_reason=(
                    "Kommentaren innehöll personuppgifter om en brukare. Tipsa gärna "
                    "hemtjänsten direkt i stället."
                ),
            ),
            CommentSpec(
                by="anna",
                days_ago=30,
                body="Första veckan: åtta av tio brukare har ringt minst ett samtal!",
            ),
        ),
    ),
    IdeaSpec(
        owner="dan",
        title="Sensorer i papperskorgar",
        problem=(
            "Vi tömmer papperskorgarna i parkerna efter ett fast schema. Vissa är överfulla "
            "redan på lördagen, medan andra är nästan tomma när vi kommer."
        ),
        target_group="renhållningen på Gata och park och besökarna i parkerna",
        description=(
            "Sensorer i papperskorgarna som säger till när de är fulla till 80 %, så att vi "
            "kör dit där det behövs."
        ),
        first_test="30 sensorer i Norrparken och längs strandpromenaden under tolv veckor.",
        needs_hours=50,
        needs_money=45000,
        needs_other_units="IT-enheten",
        tags=("park", "avfall", "sensorer", "digitalisering"),
        created_days_ago=110,
        steps=(
            Step(transition="submit", days_ago=105),
            Step(transition="accept", days_ago=98, by=COACH),
            Step(transition="start_test", days_ago=50),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om vi tömmer papperskorgarna efter hur fulla de är i stället för efter "
                "schema, blir det färre överfulla korgar med färre körningar."
            ),
            criteria=(
                "Körningarna för tömning minskar med minst 25 %",
                "Inga papperskorgar felanmäls som överfulla",
                "Sensorerna fungerar minst 95 % av tiden",
            ),
            weeks=12,
            resources="30 hyrda sensorer och en kartvy i mobilen.",
        ),
        champions=(
            ChampionSpec(by="eva", days_ago=100, offer="Jag kan räkna på vad vi sparar i bränsle."),
            ChampionSpec(by="fia", days_ago=90),
        ),
        comments=(
            CommentSpec(
                by="anna",
                days_ago=45,
                body="Gäller det här även papperskorgarna vid busshållplatserna?",
            ),
            CommentSpec(
                by="dan",
                days_ago=44,
                body="Inte i det här testet, men det blir nästa steg om det faller väl ut.",
            ),
        ),
    ),
    IdeaSpec(
        owner="anna",
        title="Cykling utan ålder",
        problem=(
            "Många äldre med hemtjänst kommer sällan ut, särskilt de som inte kan gå långt. "
            "Utevistelse och samtal gör stor skillnad för hur de mår."
        ),
        target_group="äldre med hemtjänst och de boende på Solrosen",
        description=(
            "En eldriven rickshaw där volontärer cyklar med äldre på turer i närområdet, "
            "enligt modellen Cykling utan ålder."
        ),
        first_test="Vi lånar en rickshaw i sex veckor och volontärer bokar turer med brukare.",
        needs_hours=30,
        needs_money=40000,
        needs_other_units="Äldreboendet Solrosen (förvaring och laddning)",
        tags=("äldreomsorg", "friluftsliv", "volontärer"),
        created_days_ago=150,
        steps=(
            Step(transition="submit", days_ago=146),
            Step(transition="accept", days_ago=140, by=COACH),
            Step(transition="start_test", days_ago=120),
            Step(transition="report", days_ago=76),
            Step(
                transition="iterate",
                days_ago=70,
                message=(
                    "Vi testar igen i tolv veckor, med fler volontärer och bokning via "
                    "receptionen på Solrosen."
                ),
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om äldre får följa med på cykelturer med volontärer, kommer de ut oftare och "
                "mår bättre."
            ),
            criteria=(
                "Minst 40 turer under testperioden",
                "Minst 10 volontärer har cyklat",
                "De som har åkt vill åka igen",
            ),
            weeks=6,
            resources="En inlånad rickshaw, laddning och förvaring på Solrosen.",
            weeks_after_iterate=12,
        ),
        first_evaluation=EvaluationSpec(
            results=(
                "28 turer – många fick ställas in på grund av regn",
                "6 volontärer, nästan alla från personalen",
                "Alla 14 som åkte vill åka igen",
            ),
            surprises=(
                "Det var svårt att hitta volontärer utanför personalen, och bokningen via oss "
                "i hemtjänsten blev en flaskhals."
            ),
            next_step=(
                "Testa igen under en längre period, med bokning via Solrosens reception och "
                "volontärer från föreningarna."
            ),
        ),
        champions=(
            ChampionSpec(
                by="dan",
                days_ago=130,
                offer="Gata och park hjälper gärna till att planera säkra cykelvägar.",
            ),
            ChampionSpec(by="fia", days_ago=128),
            ChampionSpec(by="eva", days_ago=73),
        ),
        comments=(
            CommentSpec(
                by="fia",
                days_ago=72,
                body="Vi sätter upp en affisch om volontärer på biblioteket!",
            ),
        ),
    ),
    # --- Testad (tested): waiting for the coach to scale or stop --------------------------
    IdeaSpec(
        owner="dan",
        title="Enklare bygglovsblanketter",
        problem=(
            "Nästan hälften av bygglovsansökningarna kommer in ofullständiga. Handläggarna "
            "lägger mycket tid på att begära kompletteringar, och de sökande väntar veckor "
            "längre än de behöver."
        ),
        target_group="privatpersoner som söker bygglov för altan, garage eller tillbyggnad",
        description=(
            "Skriv om blanketten och vägledningen i klarspråk tillsammans med några sökande, "
            "med exempel på hur en bra situationsplan ser ut."
        ),
        first_test=(
            "Den nya blanketten används för alla ansökningar om altaner och carportar under "
            "åtta veckor."
        ),
        needs_hours=60,
        needs_other_units="Bygglovsenheten, kommunikationsenheten (klarspråk)",
        tags=("bygglov", "klarspråk", "e-tjänster"),
        created_days_ago=100,
        steps=(
            Step(transition="submit", days_ago=97),
            Step(transition="accept", days_ago=92, by=COACH),
            Step(transition="start_test", days_ago=80),
            Step(transition="report", days_ago=14),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om blanketten är skriven i klarspråk med tydliga exempel, kommer fler "
                "ansökningar in kompletta från början."
            ),
            criteria=(
                "Högst 25 % av ansökningarna behöver kompletteras (i dag 45 %)",
                "Handläggningstiden för enkla ärenden blir en vecka kortare",
                "De sökande ger blanketten minst 4 av 5 i betyg",
            ),
            weeks=8,
            resources="Två handläggare en halvdag i veckan, hjälp med klarspråk.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "22 % behövde kompletteras – 31 av 40 ansökningar var kompletta från början",
                "Handläggningstiden blev i snitt nio dagar kortare",
                "Snittbetyg 4,3 av 5 (28 svar)",
            ),
            surprises=(
                "Exemplen på situationsplaner gjorde mest skillnad; flera sökande skrev att "
                "de för första gången förstod vad som krävdes."
            ),
            next_step=(
                "Använda den nya blanketten för alla bygglov och göra samma sak för anmälan om "
                "eldstad."
            ),
        ),
        champions=(
            ChampionSpec(by="eva", days_ago=95, offer="Jag läser gärna korrektur."),
            ChampionSpec(by="anna", days_ago=90),
            ChampionSpec(
                by="fia",
                days_ago=85,
                offer="Biblioteket kan ha blanketterna och hjälpa till med utskrifter.",
            ),
        ),
        comments=(
            CommentSpec(
                by=COACH,
                days_ago=10,
                body="Starkt resultat! Jag tar upp ett införande i ledningsgruppen.",
            ),
        ),
    ),
    IdeaSpec(
        owner="eva",
        title="Robot som kontrollerar leverantörsfakturor",
        problem=(
            "Ekonomienheten kontrollerar varje månad hundratals leverantörsfakturor mot avtal "
            "och beställningar för hand. Det tar tid, och fel hittas ofta först långt "
            "efteråt."
        ),
        target_group="ekonomiadministratörer och attestanter",
        description=(
            "En mjukvarurobot (RPA) som jämför fakturorna med avtalade priser och flaggar "
            "avvikelser, så att vi bara granskar de fakturor som sticker ut."
        ),
        first_test=(
            "Roboten kontrollerar fakturorna från de tio största leverantörerna i tre "
            "månader, parallellt med den vanliga kontrollen."
        ),
        needs_hours=120,
        needs_money=60000,
        needs_other_units="IT-enheten, upphandlingsenheten",
        tags=("ekonomi", "automatisering", "RPA"),
        created_days_ago=200,
        co_owners=("admin",),
        steps=(
            Step(transition="submit", days_ago=195),
            Step(transition="accept", days_ago=190, by=COACH),
            Step(transition="start_test", days_ago=150),
            Step(transition="report", days_ago=55),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om en robot gör förkontrollen, hittar vi fler felaktiga fakturor och får mer "
                "tid över till kvalificerade uppgifter."
            ),
            criteria=(
                "Roboten hittar minst lika många fel som den manuella kontrollen",
                "Tiden för fakturakontroll minskar med minst 50 %",
                "Högst 10 % av robotens flaggor är falsklarm",
            ),
            weeks=12,
            resources="En robotlicens under testet, två dagar i veckan från IT-enheten.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "Roboten hittade 41 fel, den manuella kontrollen 29",
                "Tiden minskade med 35 % – avtalen låg i för många olika format",
                "18 % falsklarm, mest rabatter som inte fanns i avtalsregistret",
            ),
            surprises=(
                "Det största problemet var inte roboten utan att avtalsregistret var ofullständigt."
            ),
            next_step=(
                "Antingen rätta avtalsregistret och testa igen, eller stoppa och dela "
                "lärdomarna med grannkommunerna."
            ),
        ),
        champions=(
            ChampionSpec(by="dan", days_ago=180),
            ChampionSpec(by="fia", days_ago=170),
        ),
        comments=(
            CommentSpec(
                by="dan",
                days_ago=100,
                body=(
                    "Vi på Gata och park har samma problem med entreprenörernas fakturor – "
                    "hör av er om ni vill testa på dem också!"
                ),
            ),
        ),
    ),
    IdeaSpec(
        owner="bo",
        title="Ljudböcker för elever med lässvårigheter",
        problem=(
            "Elever med dyslexi halkar efter i SO och NO, eftersom de inte hinner läsa "
            "texterna i läroböckerna. Många skäms över att be om hjälp."
        ),
        target_group="elever med läs- och skrivsvårigheter i årskurs 4–9",
        description=(
            "Alla elever med lässvårigheter får inlästa läromedel och talsyntes i sin egen "
            "mobil, och lär sig använda dem i början av terminen."
        ),
        first_test="Tjugo elever på Norrskolan använder inlästa läromedel under tio veckor.",
        needs_hours=40,
        needs_money=20000,
        needs_other_units="Stadsbiblioteket (Legimus-konton)",
        tags=("skola", "läsning", "tillgänglighet"),
        created_days_ago=140,
        steps=(
            Step(transition="submit", days_ago=137),
            Step(transition="accept", days_ago=130, by=COACH),
            Step(transition="start_test", days_ago=100),
            Step(transition="report", days_ago=20),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om elever med lässvårigheter kan lyssna på läroböckerna, når fler av dem "
                "kunskapskraven i SO och NO."
            ),
            criteria=(
                "Minst 15 av 20 elever lyssnar varje vecka",
                "Fler elever når godtagbara kunskaper i SO och NO än förra terminen",
                "Eleverna säger att det har blivit lättare att hänga med",
            ),
            weeks=10,
            resources="Legimus-konton via biblioteket, hörlurar till de elever som saknar.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "17 av 20 elever lyssnade varje vecka",
                "12 av 20 nådde godtagbara kunskaper i SO, mot 7 förra terminen; i NO ingen "
                "tydlig skillnad",
                "De flesta säger att det är lättare nu – några vill inte lyssna i klassrummet "
                "inför de andra",
            ),
            surprises=(
                "Det som gjorde störst skillnad var att biblioteket hjälpte alla elever att "
                "skaffa konto samma dag."
            ),
            next_step=(
                "Införa på alla skolor i Norr, och ge alla elever hörlurar så att ingen sticker ut."
            ),
        ),
        champions=(
            ChampionSpec(
                by="fia",
                days_ago=135,
                offer="Biblioteket hjälper alla elever att skaffa ett Legimus-konto.",
            ),
            ChampionSpec(by="anna", days_ago=120),
        ),
        comments=(
            CommentSpec(
                by="fia",
                days_ago=95,
                body="Tjugo elever här på en förmiddag och alla fick konto – vad roligt!",
            ),
        ),
    ),
    # --- Införd (scaled) -----------------------------------------------------------------
    IdeaSpec(
        owner="anna",
        title="Digitala nycklar i hemtjänsten",
        problem=(
            "Hemtjänstens personal hämtar och lämnar brukarnas nycklar på kontoret flera "
            "gånger om dagen. Nycklar kommer bort, och tiden borde användas hos brukarna."
        ),
        target_group="äldre med hemtjänst och personalen i Hemtjänst Norr",
        description=(
            "Digitala lås på brukarnas ytterdörrar som personalen öppnar med mobilen. Varje "
            "öppning loggas, och ingen behöver bära runt på nycklar."
        ),
        first_test="Digitala lås hos 15 brukare under åtta veckor.",
        needs_hours=40,
        needs_money=35000,
        needs_other_units="IT-enheten, fastighetsägarna",
        tags=("hemtjänst", "digitalisering", "välfärdsteknik"),
        created_days_ago=240,
        steps=(
            Step(transition="submit", days_ago=236),
            Step(transition="accept", days_ago=230, by=COACH),
            Step(transition="start_test", days_ago=200),
            Step(transition="report", days_ago=140),
            Step(
                transition="scale",
                days_ago=120,
                by=COACH,
                message=(
                    "Grattis! Digitala lås införs i hela hemtjänsten under det kommande halvåret."
                ),
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om personalen öppnar dörrarna med mobilen i stället för med nycklar, sparar "
                "vi tid och inga nycklar kommer bort."
            ),
            criteria=(
                "Personalen lägger minst 30 minuter mindre per dag på nycklar",
                "Inga nycklar kommer bort under testet",
                "Brukarna känner sig minst lika trygga som förut",
            ),
            weeks=8,
            resources="15 lås som leverantören lånar ut, installation av fastighetsskötarna.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "I snitt 45 minuter mindre per dag och arbetslag",
                "Inga nycklar försvann (förra året försvann sex)",
                "13 av 15 brukare kände sig tryggare; två ville ha kvar en vanlig nyckel",
            ),
            surprises="Brukarna uppskattade att de kan se i loggen vem som har varit där.",
            next_step=(
                "Införa i hela hemtjänsten, med en vanlig nyckel i reserv hos dem som vill."
            ),
        ),
        run_by=("Socialförvaltningen", "Maria Öberg, enhetschef, Hemtjänst Norr"),
        consent=True,
        champions=(
            ChampionSpec(by="dan", days_ago=233),
            ChampionSpec(
                by="eva", days_ago=228, offer="Jag kan räkna på vad ett införande kostar."
            ),
            ChampionSpec(by="bo", days_ago=210),
            ChampionSpec(by="fia", days_ago=205),
        ),
        comments=(
            CommentSpec(
                by=COACH, days_ago=138, body="Ett av de tydligaste testresultaten hittills!"
            ),
            CommentSpec(
                by="eva",
                days_ago=125,
                body="Låsen ryms i socialförvaltningens budget nästa år.",
            ),
        ),
    ),
    IdeaSpec(
        owner="fia",
        title="Språkcafé på biblioteket",
        problem=(
            "Den som läser svenska för invandrare (SFI) får sällan prata svenska utanför "
            "klassrummet. Många säger att de inte har någon att prata svenska med."
        ),
        target_group="vuxna som lär sig svenska",
        description=(
            "Ett språkcafé på biblioteket varje vecka, där den som lär sig svenska pratar med "
            "volontärer över en kopp kaffe."
        ),
        first_test="Språkcafé varje onsdag eftermiddag under sex veckor.",
        needs_hours=30,
        needs_money=6000,
        needs_other_units="SFI (sprida information)",
        tags=("bibliotek", "integration", "språk"),
        created_days_ago=230,
        steps=(
            Step(transition="submit", days_ago=228),
            Step(transition="accept", days_ago=222, by=COACH),
            Step(transition="start_test", days_ago=205),
            Step(transition="report", days_ago=160),
            Step(
                transition="iterate",
                days_ago=155,
                message="Vi provar kvällstid och låter SFI-lärarna bjuda in.",
            ),
            Step(transition="report", days_ago=95),
            Step(
                transition="scale",
                days_ago=80,
                by=COACH,
                message="Språkcaféet blir en del av bibliotekets ordinarie program.",
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om det finns en avslappnad plats att prata svenska på, kommer deltagarna "
                "tillbaka varje vecka och vågar prata mer."
            ),
            criteria=(
                "Minst 15 deltagare per träff",
                "Minst hälften kommer tillbaka minst tre gånger",
                "Deltagarna säger att de vågar prata mer svenska",
            ),
            weeks=6,
            resources="Bibliotekets kafé, fika och åtta volontärer.",
            weeks_after_iterate=8,
        ),
        first_evaluation=EvaluationSpec(
            results=(
                "8 deltagare per träff i snitt",
                "Hälften kom tillbaka minst tre gånger",
                "De som kom sa att de vågar prata mer",
            ),
            surprises="Eftermiddagen krockade med SFI-lektionerna och med arbete.",
            next_step="Testa igen på kvällstid, och låt SFI-lärarna bjuda in.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "22 deltagare per träff i snitt på kvällstid",
                "Två av tre kom tillbaka minst tre gånger",
                "9 av 10 säger i enkäten att de vågar prata mer svenska",
            ),
            surprises="Flera deltagare blev själva volontärer efter några månader.",
            next_step="Språkcafé varje vecka i bibliotekets ordinarie program.",
        ),
        run_by=("Stadsbiblioteket", "Fia Karlsson, bibliotekarie"),
        consent=True,
        champions=(
            ChampionSpec(by="bo", days_ago=226, offer="Jag tipsar föräldrarna på Norrskolan."),
            ChampionSpec(by="anna", days_ago=220),
            ChampionSpec(by="eva", days_ago=200, offer="Jag vill gärna vara volontär!"),
            ChampionSpec(by="dan", days_ago=150),
        ),
        comments=(
            CommentSpec(
                by="anna",
                days_ago=200,
                body="Flera av mina kollegor i hemtjänsten läser SFI – jag har tipsat dem!",
            ),
            CommentSpec(by="fia", days_ago=154, body="Nu provar vi kvällstid i stället."),
        ),
    ),
    IdeaSpec(
        owner="bo",
        title="Matsvinn i skolköket",
        problem=(
            "I Norrskolans matsal slängs i snitt 40 gram mat per elev och dag. Det är pengar "
            "och mat som går förlorade, och eleverna ser inte själva hur mycket som slängs."
        ),
        target_group="elever och kökspersonal på Norrskolan",
        description=(
            "En tallriksvåg vid disken som visar dagens svinn på en skärm, och en tävling "
            "mellan klasserna om att slänga minst."
        ),
        first_test=(
            "Sex veckor med våg, skärm och klasstävling; vi mäter svinnet före, under och efter."
        ),
        needs_hours=20,
        needs_money=12000,
        tags=("skola", "måltider", "matsvinn", "hållbarhet"),
        created_days_ago=220,
        steps=(
            Step(transition="submit", days_ago=216),
            Step(transition="accept", days_ago=210, by=COACH),
            Step(transition="start_test", days_ago=185),
            Step(transition="report", days_ago=135),
            Step(
                transition="scale",
                days_ago=110,
                by=COACH,
                message="Tallriksvåg och svinnveckor införs i alla skolkök i kommunen.",
            ),
        ),
        plan=PlanSpec(
            hypothesis="Om eleverna ser hur mycket mat som slängs varje dag, slänger de mindre.",
            criteria=(
                "Tallrikssvinnet minskar med minst 25 %",
                "Svinnet är fortfarande lägre en månad efter testet",
                "Kökspersonalen tycker att det är värt arbetet",
            ),
            weeks=6,
            resources="En tallriksvåg, en skärm i matsalen och ett diplom till vinnarklassen.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "Svinnet minskade från 40 till 24 gram per elev och dag (–40 %)",
                "En månad senare låg svinnet på 28 gram",
                "Kökspersonalen vill fortsätta – vågen tar fem minuter om dagen",
            ),
            surprises=(
                "Eleverna började föreslå rätter de ville ha oftare, och kocken ändrade "
                "portionerna av fisk."
            ),
            next_step="Införa i alla skolkök, med en gemensam topplista mellan skolorna.",
        ),
        run_by=("Barn- och utbildningsförvaltningen", "Leila Haddad, kostchef"),
        consent=True,
        champions=(
            ChampionSpec(by="dan", days_ago=214),
            ChampionSpec(
                by="eva", days_ago=212, offer="Jag räknar gärna ut vad svinnet kostar per år."
            ),
            ChampionSpec(by="anna", days_ago=190),
            ChampionSpec(by="fia", days_ago=180),
        ),
        comments=(
            CommentSpec(
                by="eva",
                days_ago=205,
                body="40 gram per elev och dag blir ungefär 1,2 ton om året bara på Norrskolan.",
            ),
        ),
    ),
    # --- Lärdom (learned): a stopped test is a result ------------------------------------
    IdeaSpec(
        owner="dan",
        title="Cykelpool för personalen",
        problem=(
            "Personalen tar bilen mellan möten och arbetsplatser, även korta sträckor. "
            "Tjänstebilarna räcker inte till, och det kostar både pengar och utsläpp."
        ),
        target_group="anställda som reser i tjänsten inom tätorten",
        description="Sex elcyklar som personalen bokar i samma system som tjänstebilarna.",
        first_test="Sex elcyklar vid stadshuset under tolv veckor.",
        needs_hours=20,
        needs_money=30000,
        tags=("hållbarhet", "resor", "personal"),
        created_days_ago=210,
        steps=(
            Step(transition="submit", days_ago=207),
            Step(transition="accept", days_ago=200, by=COACH),
            Step(transition="start_test", days_ago=175),
            Step(transition="report", days_ago=85),
            Step(
                transition="stop_and_learn",
                days_ago=78,
                message="Vi stoppar här och delar lärdomarna.",
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om det finns elcyklar att boka, väljer personalen cykel i stället för bil på "
                "korta resor."
            ),
            criteria=(
                "Cyklarna bokas minst 60 gånger i månaden",
                "Bokningarna av tjänstebil för resor under 5 km minskar med 20 %",
                "Minst 30 olika anställda har använt cyklarna",
            ),
            weeks=12,
            resources="Sex hyrda elcyklar med hjälmar och lås.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "I snitt 18 bokningar i månaden – nästan inga när det regnade",
                "Ingen mätbar minskning av bilbokningarna",
                "12 olika anställda använde cyklarna",
            ),
            surprises=(
                "De som cyklade var nästan bara de som redan cyklade till jobbet. Regn, mörker "
                "och oron att komma svettig till möten vägde tyngre än vi trodde."
            ),
            next_step="Stoppa testet och dela lärdomarna.",
        ),
        lessons=(
            "Vädret styr mer än vi trodde, så ett cykeltest ska gå under den ljusa delen av "
            "året. Cyklar räcker inte – det behövs dusch, plats för regnkläder och chefer som "
            "går före. "
            "Bilbokningarna minskade inte, eftersom cyklarna stod vid stadshuset medan de "
            "flesta resor börjar på andra arbetsplatser. Nästa gång: ta först reda på var "
            "resorna börjar, och låt en förvaltning i taget testa."
        ),
        consent=True,
        champions=(
            ChampionSpec(by="eva", days_ago=205),
            ChampionSpec(by="fia", days_ago=204),
            ChampionSpec(by="anna", days_ago=168),
        ),
        comments=(
            CommentSpec(
                by="eva", days_ago=170, body="Kan vi inte låna ut cyklarna till hemtjänsten?"
            ),
            CommentSpec(by="anna", days_ago=168, body="Hemtjänst Norr provar gärna!"),
        ),
    ),
    IdeaSpec(
        owner="fia",
        title="Tvåspråkig sagostund",
        problem=(
            "Barn som har ett annat modersmål än svenska kommer sällan på bibliotekets "
            "sagostunder, som bara är på svenska."
        ),
        target_group="barn 3–6 år med annat modersmål än svenska, och deras föräldrar",
        description=(
            "Sagostunder där samma saga läses på svenska och på arabiska, somaliska eller dari."
        ),
        first_test="En sagostund varannan lördag under tio veckor.",
        needs_hours=30,
        needs_money=10000,
        needs_other_units="Modersmålslärarna",
        tags=("bibliotek", "barn", "språk", "flerspråkighet"),
        created_days_ago=180,
        steps=(
            Step(transition="submit", days_ago=176),
            Step(transition="accept", days_ago=170, by=COACH),
            Step(transition="start_test", days_ago=150),
            Step(
                transition="stop_and_learn",
                days_ago=120,
                message="Vi stoppar efter tre sagostunder – för få familjer kom.",
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om vi läser sagor på både svenska och barnens modersmål, kommer fler "
                "flerspråkiga familjer till biblioteket."
            ),
            criteria=(
                "Minst 10 barn per sagostund",
                "Minst hälften av familjerna lånar böcker efteråt",
            ),
            weeks=10,
            resources="Två modersmålslärare varannan lördag, bilderböcker på fyra språk.",
        ),
        lessons=(
            "Vi hade sagostunden på lördagsförmiddagar, men de familjer vi ville nå kom inte "
            "till biblioteket alls – vi annonserade bara på bibliotekets webb och "
            "anslagstavla. Lärdomen: gå dit familjerna redan är, till förskolan och öppna "
            "förskolan, och låt föräldrar som talar språken vara med och planera. Det blev "
            "början till idén om bokpåsar till förskolorna."
        ),
        consent=True,
        champions=(
            ChampionSpec(by="bo", days_ago=172),
            ChampionSpec(by="anna", days_ago=160),
        ),
        comments=(
            CommentSpec(
                by="bo",
                days_ago=115,
                body="Synd att det inte blev som ni tänkt, men bra att ni delar varför!",
            ),
        ),
    ),
    IdeaSpec(
        owner="anna",
        title="Gemensam inköpslista för hemtjänstens handling",
        problem=(
            "Personalen skriver inköpslistor för hand hemma hos brukarna, och listorna kommer "
            "bort eller går inte att läsa i affären. Anhöriga vet inte vad som redan är "
            "handlat."
        ),
        target_group="äldre som får hjälp med inköp, deras anhöriga och personalen",
        description=(
            "En gemensam inköpslista i en app, där brukaren, anhöriga och personalen kan "
            "lägga till varor."
        ),
        first_test="Tolv brukare och deras anhöriga använder appen under sex veckor.",
        needs_hours=30,
        needs_money=5000,
        tags=("hemtjänst", "digitalisering", "inköp"),
        created_days_ago=160,
        steps=(
            Step(transition="submit", days_ago=157),
            Step(transition="accept", days_ago=150, by=COACH),
            Step(transition="start_test", days_ago=135),
            Step(transition="report", days_ago=90),
            Step(
                transition="stop_and_learn",
                days_ago=84,
                by=COACH,
                message="Vi avslutar testet och sparar lärdomarna.",
            ),
        ),
        plan=PlanSpec(
            hypothesis=(
                "Om brukare, anhöriga och personal delar en digital inköpslista, blir det "
                "färre fel i handlingen och personalen sparar tid."
            ),
            criteria=(
                "Färre än en felhandlad vara per vecka och brukare",
                "Personalen sparar minst 10 minuter per inköp",
                "Minst 8 av 12 brukare vill fortsätta",
            ),
            weeks=6,
            resources="En gratisapp för delade listor, telefoner som personalen redan har.",
        ),
        evaluation=EvaluationSpec(
            results=(
                "Ungefär lika många fel som förut",
                "Ingen tidsvinst – tiden gick åt till att hjälpa brukarna med appen",
                "3 av 12 ville fortsätta",
            ),
            surprises="Brukarna ser inköpslistan som ett tillfälle att prata med personalen.",
            next_step="Avsluta testet och dela lärdomarna.",
        ),
        lessons=(
            "Appen fungerade, men de flesta brukare ville inte skriva listan själva: att "
            "skriva inköpslistan tillsammans är ett tillfälle att prata. Anhöriga som använde "
            "appen var nöjda, men de var få, och tiden vi sparade gick åt till att hjälpa "
            "brukarna med appen. Lärdom: fråga brukarna innan vi bygger bort ett samtal – det "
            "som ser ut som administration kan vara omsorg."
        ),
        champions=(
            ChampionSpec(by="eva", days_ago=155),
            ChampionSpec(by="dan", days_ago=140),
        ),
        comments=(
            CommentSpec(
                by=COACH,
                days_ago=83,
                body="Ett bra exempel på att ett stoppat test också är ett resultat.",
            ),
        ),
    ),
    # --- Avböjd (declined) ---------------------------------------------------------------
    IdeaSpec(
        owner="eva",
        title="Egen app för alla kommunens e-tjänster",
        problem=(
            "Invånarna måste hålla reda på många inloggningar och webbplatser för kommunens "
            "e-tjänster."
        ),
        target_group="invånare som använder kommunens e-tjänster",
        description="En egen kommunapp där alla e-tjänster, felanmälan och bokningar finns.",
        first_test="Bygga en första version med tre e-tjänster och låta 100 invånare testa.",
        needs_hours=400,
        needs_money=500000,
        tags=("digitalisering", "e-tjänster"),
        created_days_ago=100,
        steps=(
            Step(transition="submit", days_ago=97),
            Step(
                transition="decline",
                days_ago=90,
                by=COACH,
                message=(
                    "Tack för att du skickade in idén! Den är för stor för ett test i "
                    "idéslussen, och kommunens digitaliseringsstrategi satsar på den gemensamma "
                    "e-tjänsteplattformen i stället för en egen app. Prata gärna med "
                    "digitaliseringsenheten om vad som saknas på webben – kanske finns det en "
                    "mindre del som vi kan testa."
                ),
            ),
        ),
        champions=(ChampionSpec(by="dan", days_ago=96),),
        comments=(
            CommentSpec(
                by="dan",
                days_ago=95,
                body="Håller med om problemet – felanmälan är svår att hitta på webben.",
            ),
        ),
    ),
    IdeaSpec(
        owner="bo",
        title="Egen surfplatta till alla elever i förskoleklass",
        problem=(
            "Alla elever har inte en dator eller surfplatta hemma, och de som har det får ett "
            "försprång i läsinlärningen med apparna."
        ),
        target_group="elever i förskoleklass och deras familjer",
        description=(
            "Varje elev i förskoleklass får en egen surfplatta med läs- och matteappar att ta "
            "med hem."
        ),
        first_test="En förskoleklass på Norrskolan får surfplattor under en termin.",
        needs_money=80000,
        tags=("skola", "digitalisering"),
        created_days_ago=65,
        steps=(
            Step(transition="submit", days_ago=62),
            Step(
                transition="decline",
                days_ago=55,
                by=COACH,
                message=(
                    "Tack för idén! Barn- och utbildningsnämnden har nyss beslutat att "
                    "förskoleklassen ska ha mindre skärmtid och mer läsning på papper, så "
                    "idén går inte att testa just nu. Fundera gärna på om problemet – att "
                    "eleverna har olika förutsättningar hemma – kan lösas på något annat sätt, "
                    "och skicka in en ny idé."
                ),
            ),
        ),
    ),
    # --- Återtagen (withdrawn) -----------------------------------------------------------
    IdeaSpec(
        owner="eva",
        title="Friskvårdspromenader på arbetstid",
        problem=(
            "Många på Ekonomienheten sitter stilla hela dagen, och sjukskrivningarna för "
            "ryggbesvär har ökat."
        ),
        target_group="medarbetare med stillasittande arbete",
        description="En gemensam promenad på 30 minuter varje dag efter lunch, på arbetstid.",
        first_test="Ekonomienheten promenerar tillsammans varje dag i en månad.",
        tags=("hälsa", "arbetsmiljö", "friskvård"),
        created_days_ago=90,
        steps=(
            Step(transition="submit", days_ago=86),
            Step(
                transition="withdraw",
                days_ago=80,
                message=(
                    "HR inför en friskvårdstimme för alla från årsskiftet, så idén behövs inte "
                    "längre."
                ),
            ),
        ),
        champions=(ChampionSpec(by="dan", days_ago=84),),
    ),
    IdeaSpec(
        owner="anna",
        title="Surfplattor för digital delaktighet på Solrosen",
        problem=(
            "Många boende på Solrosen har aldrig använt internet. De kan inte se bilder på "
            "barnbarnen eller boka tid i vården digitalt."
        ),
        target_group="boende på Äldreboendet Solrosen",
        description=(
            "Surfplattor och en digitalfika i veckan där personal och volontärer hjälper de "
            "boende att komma igång."
        ),
        first_test="Fyra surfplattor och åtta digitalfikor under två månader.",
        needs_hours=25,
        needs_money=15000,
        needs_other_units="Äldreboendet Solrosen",
        tags=("äldreomsorg", "digital delaktighet"),
        created_days_ago=120,
        steps=(
            Step(transition="submit", days_ago=116),
            Step(transition="accept", days_ago=110, by=COACH),
            Step(
                transition="withdraw",
                days_ago=96,
                message=(
                    "Regionen startar ett projekt om digital delaktighet på alla äldreboenden "
                    "i höst, så vi går med i det i stället."
                ),
            ),
        ),
        champions=(
            ChampionSpec(
                by="fia",
                days_ago=112,
                offer="Bibliotekets digitala ombud kan vara med på fikorna.",
            ),
        ),
    ),
)


@contextmanager
def quiet_seeding() -> Iterator[None]:
    """Send no e-mail and log no task runs or page publications while seeding (in-app
    notifications are still created). Wrap the whole transaction: notifications go out
    when it commits."""
    previous_backend = settings.EMAIL_BACKEND
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    previous_levels = [logger.level for logger in loggers]
    settings.EMAIL_BACKEND = DUMMY_EMAIL_BACKEND
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous_backend
        for logger, level in zip(loggers, previous_levels, strict=True):
            logger.setLevel(level)


class _Clock:
    """Moments in the past for one idea's story: working hours, in the order asked for."""

    def __init__(self, key: str, today: date):
        self.today = today
        self.minute = zlib.crc32(key.encode()) % 45
        self.calls = 0
        self.last: datetime | None = None

    def at(self, days_ago: int, *, in_order: bool = True) -> datetime:
        if days_ago < 1:
            raise ValueError("Demo events happen at least a day ago.")
        self.calls += 1
        day = self.today - timedelta(days=days_ago)
        moment = timezone.make_aware(
            datetime.combine(day, time(8, 0)) + timedelta(minutes=self.minute + 13 * self.calls)
        )
        if in_order:
            if self.last is not None and moment <= self.last:
                moment = self.last + timedelta(minutes=7)
            self.last = moment
        return moment


def _save_plan(
    idea, owner: User, plan: PlanSpec, start: date, end: date, *, no_money_needed: bool | None
) -> TestPlan:
    return test_plan_save(
        idea=idea,
        by=owner,
        hypothesis=plan.hypothesis,
        success_criteria=list(plan.criteria),
        start_date=start,
        end_date=end,
        resources=plan.resources,
        no_money_needed=no_money_needed,
    )


def _save_evaluation(idea, by: User, plan: PlanSpec, evaluation: EvaluationSpec) -> Evaluation:
    if len(evaluation.results) != len(plan.criteria):
        raise ValueError(f"{idea.title}: one result per success criterion, please.")
    return evaluation_save(
        idea=idea,
        by=by,
        results=[
            {"criterion": criterion, "result": result}
            for criterion, result in zip(plan.criteria, evaluation.results, strict=True)
        ],
        surprises=evaluation.surprises,
        next_step=evaluation.next_step,
    )


def _log_at(idea, moment: datetime) -> None:
    """Move the newest timeline entry of `idea`, and its state change, to `moment`."""
    entry = StateLog.objects.for_(idea).order_by("-pk").first()
    StateLog.objects.filter(pk=entry.pk).update(timestamp=moment)
    Idea.objects.filter(pk=idea.pk).update(state_changed_at=moment)


def seed_idea(
    spec: IdeaSpec,
    users: dict[str, User],
    units: dict[str, Unit],
    today: date,
    settle_money: Callable | None = None,
):
    """Tell one idea's story through the services; returns the idea, or None if it exists.

    The money question is settled by `settle_money(idea=…, spec=…)` (the fund demo's
    grants) just before a test that needs money starts; without it, or when the idea
    needs no money, the test plan says that no money is needed."""
    owner = users[spec.owner]
    if Idea.objects.filter(owner=owner, title=spec.title).exists():
        return None
    clock = _Clock(spec.title, today)
    idea = idea_create_draft(
        by=owner,
        tags=spec.tags,
        title=spec.title,
        problem=spec.problem,
        target_group=spec.target_group,
        description=spec.description,
        first_test=spec.first_test,
        needs_hours=spec.needs_hours,
        needs_substitute=spec.needs_substitute,
        needs_money=spec.needs_money,
        needs_other_units=spec.needs_other_units,
    )
    created = clock.at(spec.created_days_ago)
    Idea.objects.filter(pk=idea.pk).update(created_at=created, state_changed_at=created)
    for username in spec.co_owners:
        idea_add_co_owner(idea=idea, by=owner, user=users[username])

    plan = spec.plan
    evaluations = [e for e in (spec.first_evaluation, spec.evaluation) if e is not None]
    starts_test = any(step.transition == "start_test" for step in spec.steps)
    needs_grant = settle_money is not None and spec.needs_money is not None
    last = created
    for step in spec.steps:
        actor = users[step.by or spec.owner]
        moment = clock.at(step.days_ago)
        if step.transition == "start_test":
            start = moment.date()
            end = start + timedelta(weeks=plan.weeks)
            _save_plan(idea, owner, plan, start, end, no_money_needed=not needs_grant)
            TestPlan.objects.filter(idea=idea).update(updated_at=moment)
            if needs_grant:
                settle_money(idea=idea, spec=spec)
        elif step.transition == "report":
            _save_evaluation(idea, actor, plan, evaluations.pop(0))
            Evaluation.objects.filter(idea=idea).update(updated_at=moment)
        elif step.transition == "stop_and_learn":
            idea_record_outcome(idea=idea, by=actor, lessons_learned=spec.lessons)
        elif step.transition == "scale":
            unit_name, contact = spec.run_by
            idea_record_outcome(
                idea=idea, by=actor, run_by_unit=units[unit_name], run_by_contact=contact
            )
        idea = IDEA_TRANSITION_SERVICES[step.transition](
            idea=idea, by=actor, message=step.message, expected_state=idea.state
        )
        _log_at(idea, moment)
        last = moment
        if step.transition == "accept" and plan is not None and not starts_test:
            # Still in planning: the plan is written, the test starts soon.
            start = today + timedelta(days=plan.starts_in_days)
            end = start + timedelta(weeks=plan.weeks)
            _save_plan(idea, owner, plan, start, end, no_money_needed=not needs_grant)
            written = clock.at(max(1, step.days_ago - 5), in_order=False)
            TestPlan.objects.filter(idea=idea).update(updated_at=written)
        elif step.transition == "iterate" and plan.weeks_after_iterate:
            start = idea.test_plan.start_date
            end = moment.date() + timedelta(weeks=plan.weeks_after_iterate)
            _save_plan(idea, owner, plan, start, end, no_money_needed=None)
            TestPlan.objects.filter(idea=idea).update(updated_at=moment)

    if spec.consent:
        idea_set_consent(idea=idea, by=owner, consent=True)
    for champion in spec.champions:
        champion_toggle(idea=idea, by=users[champion.by], offer=champion.offer)
        Champion.objects.filter(idea=idea, user=users[champion.by]).update(
            created_at=clock.at(champion.days_ago, in_order=False)
        )
    for spec_comment in spec.comments:
        moment = clock.at(spec_comment.days_ago, in_order=False)
        comment = comment_add(idea=idea, by=users[spec_comment.by], body=spec_comment.body)
        Comment.objects.filter(pk=comment.pk).update(created_at=moment)
        last = max(last, moment)
        if spec_comment.hidden_reason:
            comment_hide(comment=comment, by=users[COACH], reason=spec_comment.hidden_reason)
            Comment.objects.filter(pk=comment.pk).update(hidden_at=moment + timedelta(hours=3))
    Idea.objects.filter(pk=idea.pk).update(updated_at=last)
    return idea


def seed_sluice_ideas(
    *, users: list[User], units: dict[str, Unit], settle_money: Callable | None = None
) -> int:
    """Add the demo ideas that are not there yet; returns how many were added.

    The stories are told in the order they began, so that records numbered as they are
    written (the fund's decisions, via `settle_money`) are also numbered in date order."""
    by_username = {user.username: user for user in users}
    today = timezone.localdate()
    added = 0
    with transaction.atomic():
        for spec in sorted(IDEAS, key=lambda spec: -spec.created_days_ago):
            if seed_idea(spec, by_username, units, today, settle_money) is not None:
                added += 1
    return added
