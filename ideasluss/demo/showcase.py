"""The public site's demo for `seed_demo`: the pages a resident or journalist reads.

After the sluice and fund demos it builds, on the site's fixed sections
(`cms.site_tree.ensure_site_tree`): the home page's introduction, three results
(the scaled demo ideas), three lessons (the learned ones), two years of the best
mistake with a winner each, and the fund page's introduction. Pictures are drawn
with Pillow (`ideasluss.demo.pictures`).

Everything is done as the people would do it: the owner gives consent for a public
page on the idea page (`idea_set_consent`), the coach (Cia) writes and publishes
the pages through Wagtail revisions, staff nominate and the jury shortlists and
picks a winner through `workflows.mistake_services`, at moments in the demo's past.

Running it again changes nothing: a story page is found by its slug, a picture by
its title, a section's introduction is written only while it is empty, and a year
that already has nominations is left to its jury.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.models import Page

from cms.models import LessonPage, MistakeYearPage, ResultPage
from cms.site_tree import ensure_site_tree
from ideasluss.accounts.models import User
from ideasluss.ideas.models import Idea, IdeaState, Nomination, NominationState
from ideasluss.ideas.services import idea_set_consent
from workflows import mistake_services

from .fund import CAPITAL, DELEGATED_LIMIT, happening_at
from .pictures import Picture, demo_collection, demo_image

EDITOR = "cia"  # the innovation coach edits the public site
PUBLISHED_AFTER_DAYS = 12  # a story is published this long after the idea's outcome


def kronor(amount: int) -> str:
    """50 000 kr, with a non-breaking space between the thousands as in Swedish print."""
    return f"{amount:,}".replace(",", "\u00a0")


# --- the blocks of a story ------------------------------------------------------------------
# Each block gives its stored form in the page's StreamField (`cms.blocks.StoryBlock`);
# a story's body is assigned as that JSON and read back by Wagtail as blocks.


@dataclass(frozen=True)
class Text:
    paragraphs: tuple[str, ...]

    def raw(self, images) -> dict:
        html = format_html_join("", "<p>{}</p>", ((p,) for p in self.paragraphs))
        return {"type": "paragraph", "value": str(html)}


@dataclass(frozen=True)
class Figure:
    picture: Picture
    caption: str

    def raw(self, images) -> dict:
        image = {
            "image": images[self.picture.title].pk,
            "decorative": False,
            "alt_text": self.picture.alt,
        }
        return {"type": "image", "value": {"image": image, "caption": self.caption}}


@dataclass(frozen=True)
class Quote:
    quote: str
    attribution: str

    def raw(self, images) -> dict:
        return {"type": "quote", "value": {"quote": self.quote, "attribution": self.attribution}}


@dataclass(frozen=True)
class Facts:
    title: str
    items: tuple[str, ...]

    def raw(self, images) -> dict:
        items = format_html_join("", "<li>{}</li>", ((item,) for item in self.items))
        body = format_html("<ul>{}</ul>", items)
        return {"type": "fact_box", "value": {"title": self.title, "body": str(body)}}


@dataclass(frozen=True, kw_only=True)
class Story:
    """A result or lesson page about one demo idea (found by its title and owner)."""

    idea: str
    owner: str
    slug: str
    title: str
    summary: str
    hero: Picture
    body: tuple[Text | Figure | Quote | Facts, ...]
    lesson: dict[str, str] = field(default_factory=dict)  # what_was_tried, what_we_learned, advice

    @property
    def pictures(self) -> list[Picture]:
        return [self.hero, *(block.picture for block in self.body if isinstance(block, Figure))]


RESULTS = (
    Story(
        idea="Digitala nycklar i hemtjänsten",
        owner="anna",
        slug="digitala-las-i-hemtjansten",
        title="Digitala lås ger hemtjänsten mer tid hos brukarna",
        summary=(
            "Hemtjänst Norr testade digitala lås hos 15 brukare i åtta veckor. Personalen slapp "
            "hämta och lämna nycklar på kontoret, ingen nyckel kom bort och de flesta brukare "
            "kände sig tryggare. Nu införs låsen i hela hemtjänsten."
        ),
        hero=Picture(
            title="Demo: hembesök med digitalt lås",
            alt=(
                "Tecknad bild: en medarbetare i hemtjänsten står utanför ett hus en höstkväll "
                "och öppnar ytterdörren med mobilen."
            ),
            scene="home_visit",
        ),
        body=(
            Text(
                (
                    "Varje morgon började med kö vid nyckelskåpet. Personalen i Hemtjänst Norr "
                    "hämtade och lämnade brukarnas nycklar på kontoret flera gånger om dagen, och "
                    "förra året kom sex nycklar bort. Varje borttappad nyckel betydde låsbyte och "
                    "en orolig brukare.",
                    "Undersköterskan Anna Lindqvist skickade in idén till idéslussen: låt "
                    "personalen öppna dörren med mobilen i stället. Tillsammans med "
                    "innovationscoachen planerade arbetsgruppen ett test hos 15 brukare under åtta "
                    "veckor. Leverantören lånade ut låsen, och innovationsfonden betalade "
                    "installation, utbildning och vikarietimmar medan personalen lärde sig det nya "
                    "arbetssättet.",
                )
            ),
            Figure(
                Picture(
                    title="Demo: digitalt lås på ytterdörr",
                    alt=(
                        "Tecknad bild: en ytterdörr med ett digitalt lås som lyser grönt, och "
                        "en hand som håller en mobil med en bock på skärmen."
                    ),
                    scene="door_lock",
                ),
                "Låset öppnas med mobilen och varje öppning loggas, så att brukaren kan se "
                "vem som har varit där.",
            ),
            Quote(
                "Förut började dagen vid nyckelskåpet. Nu börjar den hos brukaren.",
                "Anna Lindqvist, undersköterska i Hemtjänst Norr",
            ),
            Text(
                (
                    "Resultatet var tydligt. Arbetslagen sparade i snitt 45 minuter om dagen, och "
                    "ingen nyckel kom bort. 13 av 15 brukare kände sig tryggare än förut. Det som "
                    "överraskade mest var loggen: brukarna uppskattade att de kan se vem som har "
                    "varit hemma hos dem.",
                    "Två brukare ville ha kvar en vanlig nyckel. När låsen nu införs i hela "
                    "hemtjänsten får den som vill ha en vanlig nyckel i reserv.",
                )
            ),
            Facts(
                "Testet i korthet",
                (
                    "15 brukare och tre arbetslag i Hemtjänst Norr",
                    "Åtta veckor",
                    "45 minuter mindre nyckelhantering per dag och arbetslag",
                    "Inga borttappade nycklar (sex året innan)",
                    f"{kronor(35_000)} kr från innovationsfonden för installation, "
                    "utbildning och vikarier",
                ),
            ),
        ),
    ),
    Story(
        idea="Språkcafé på biblioteket",
        owner="fia",
        slug="sprakcafe-pa-biblioteket",
        title="Språkcaféet där deltagarna blev volontärer",
        summary=(
            "Stadsbiblioteket ville ge den som lär sig svenska någon att prata med. Första "
            "försöket på eftermiddagen lockade få, men på kvällstid kom drygt 20 deltagare "
            "varje vecka. Nu ingår språkcaféet i bibliotekets ordinarie program."
        ),
        hero=Picture(
            title="Demo: språkcafé på biblioteket",
            alt=(
                "Tecknad bild: fyra personer sitter runt ett kafébord med kaffekoppar och "
                "pratar; pratbubblor i olika färger svävar över dem."
            ),
            scene="language_cafe",
        ),
        body=(
            Text(
                (
                    "Den som läser svenska för invandrare får sällan prata svenska utanför "
                    "klassrummet. ”Jag har ingen att prata svenska med” fick bibliotekarierna höra "
                    "varje vecka. Bibliotekarien Fia Karlsson föreslog ett språkcafé: en "
                    "avslappnad träff där deltagarna pratar med volontärer över en kopp kaffe.",
                    "Det första testet, på onsdagseftermiddagar, lockade i snitt åtta deltagare – "
                    "hälften så många som målet. Tiden krockade med SFI-lektionerna och med "
                    "arbete. I stället för att ge upp ändrade arbetsgruppen testet: kvällstid, och "
                    "SFI-lärarna bjöd in sina elever.",
                )
            ),
            Quote(
                "Här vågar jag prata, även när jag gör fel. Ingen rättar mig mitt i en mening.",
                "Deltagare i språkcaféet",
            ),
            Figure(
                Picture(
                    title="Demo: bibliotekets läshörna",
                    alt=(
                        "Tecknad bild: bokhyllor fyllda med färgglada böcker, en golvlampa och "
                        "en fåtölj i bibliotekets läshörna."
                    ),
                    scene="library",
                ),
                "Språkcaféet hålls i bibliotekets läshörna varje onsdagskväll.",
            ),
            Text(
                (
                    "På kvällstid kom i snitt 22 deltagare per träff, och två av tre kom tillbaka "
                    "minst tre gånger. Nio av tio svarade i enkäten att de vågar prata mer "
                    "svenska. Flera deltagare har sedan själva blivit volontärer.",
                )
            ),
            Facts(
                "Så gjorde vi",
                (
                    "Två testomgångar: sex veckor på eftermiddagen, åtta veckor på kvällen",
                    "Åtta volontärer, fika och samtalskort på lätt svenska",
                    f"{kronor(6_000)} kr från innovationsfonden",
                    "I dag: språkcafé varje onsdag kl. 18–20 på Stadsbiblioteket",
                ),
            ),
        ),
    ),
    Story(
        idea="Matsvinn i skolköket",
        owner="bo",
        slug="matsvinn-i-skolkoket",
        title="Tallriksvågen som minskade matsvinnet med 40 procent",
        summary=(
            "På Norrskolan slängdes 40 gram mat per elev och dag. Med en tallriksvåg, en skärm "
            "i matsalen och en tävling mellan klasserna minskade svinnet till 24 gram. Nu får "
            "alla skolkök i kommunen en våg."
        ),
        hero=Picture(
            title="Demo: tallriksvåg i skolmatsalen",
            alt=(
                "Tecknad bild: en tallrik med mat står på en våg vid disken i en skolmatsal; "
                "på väggen visar en skärm staplar som blir lägre."
            ),
            scene="school_scale",
        ),
        body=(
            Text(
                (
                    "Eleverna på Norrskolan såg aldrig hur mycket mat som slängdes. Läraren Bo "
                    "Eriksson och kökspersonalen ville göra svinnet synligt: en våg vid disken där "
                    "eleverna skrapar tallriken, och en skärm som visar dagens svinn.",
                    "Under sex veckor tävlade klasserna om att slänga minst. Kökspersonalen vägde "
                    "och redovisade svinnet varje dag, och vinnarklassen fick diplom och tårta.",
                )
            ),
            Figure(
                Picture(
                    title="Demo: staplar för matsvinn",
                    alt=(
                        "Tecknad bild: ett stapeldiagram utan siffror där staplarna blir lägre "
                        "från vänster till höger, med ett grönt blad i hörnet."
                    ),
                    scene="shrinking_waste",
                ),
                "Svinnet per elev och dag minskade vecka för vecka under testet.",
            ),
            Text(
                (
                    "Svinnet minskade från 40 till 24 gram per elev och dag, och en månad efter "
                    "testet låg det kvar på 28 gram. Eleverna började också föreslå rätter de "
                    "ville ha oftare, och kocken ändrade portionerna av fisk.",
                )
            ),
            Quote(
                "Vågen tar fem minuter om dagen. Det är värt det när eleverna själva börjar "
                "prata om maten.",
                "Kökspersonalen på Norrskolan",
            ),
            Facts(
                "Fakta om testet",
                (
                    "Sex veckor i Norrskolans matsal",
                    "Från 40 till 24 gram svinn per elev och dag (–40 %)",
                    "Cirka 1,2 ton mindre matsvinn per år på en skola",
                    f"{kronor(12_000)} kr från innovationsfonden för våg, skärm och personaltid",
                ),
            ),
        ),
    ),
)

LESSONS = (
    Story(
        idea="Cykelpool för personalen",
        owner="dan",
        slug="cykelpool-for-personalen",
        title="Elcyklar räcker inte – resorna börjar på andra ställen",
        summary=(
            "Sex elcyklar vid stadshuset skulle ersätta korta bilresor i tjänsten. Cyklarna "
            "bokades sällan och bilresorna minskade inte. Lärdomen: ta först reda på var "
            "resorna börjar."
        ),
        hero=Picture(
            title="Demo: cyklar vid stadshuset i regn",
            alt="Tecknad bild: fem cyklar står parkerade framför stadshuset medan det regnar.",
            scene="bikes_in_rain",
        ),
        body=(
            Text(
                (
                    "Personalen tar bilen mellan möten och arbetsplatser, även för korta sträckor. "
                    "Dan Holm på Gata och park föreslog en cykelpool: elcyklar som bokas på samma "
                    "sätt som tjänstebilarna. Innovationsfonden beviljade pengar för att hyra sex "
                    "elcyklar i tolv veckor – hyra i stället för att köpa, så att kommunen inte "
                    "band pengar om testet inte föll väl ut.",
                )
            ),
            Facts(
                "Utfall mot målen",
                (
                    "Bokningar: i snitt 18 i månaden (mål: 60)",
                    "Bilbokningar under 5 km: ingen mätbar minskning (mål: –20 %)",
                    "Olika användare: 12 (mål: 30)",
                    "Pengar som inte behövdes gick tillbaka till fonden",
                ),
            ),
            Figure(
                Picture(
                    title="Demo: karta över tjänsteresor",
                    alt=(
                        "Tecknad karta: streckade linjer går från fem arbetsplatser i "
                        "utkanten in till stadshuset i mitten."
                    ),
                    scene="routes_map",
                ),
                "De flesta tjänsteresor börjar på andra arbetsplatser än vid stadshuset, där "
                "cyklarna stod.",
            ),
            Text(
                (
                    "De som cyklade var nästan bara de som redan cyklade till jobbet. Regn, mörker "
                    "och oron att komma svettig till ett möte vägde tyngre än vi trodde. När vi "
                    "tittade på bilbokningarna såg vi varför de inte minskade: de flesta resor "
                    "börjar inte vid stadshuset.",
                )
            ),
            Quote(
                "Vi löste fel problem på rätt sätt. Nästa gång börjar vi med att fråga var "
                "resorna börjar.",
                "Dan Holm, Gata och park",
            ),
        ),
        lesson={
            "what_was_tried": (
                "Sex hyrda elcyklar stod vid stadshuset i tolv veckor och bokades i samma system "
                "som tjänstebilarna. Målet var 60 bokningar i månaden och 20 procent färre "
                "bilbokningar för resor under fem kilometer."
            ),
            "what_we_learned": (
                "Vädret styr mer än vi trodde, och cyklar räcker inte: det behövs dusch, plats "
                "för regnkläder och chefer som går före. Bilbokningarna minskade inte, eftersom "
                "cyklarna stod vid stadshuset medan de flesta resor börjar på andra "
                "arbetsplatser."
            ),
            "advice": (
                "Ta först reda på var resorna börjar och ställ cyklarna där. Testa under den "
                "ljusa delen av året, låt en förvaltning i taget prova och be cheferna gå före. "
                "Hyr i stället för att köpa tills ni vet att det fungerar."
            ),
        },
    ),
    Story(
        idea="Tvåspråkig sagostund",
        owner="fia",
        slug="tvasprakig-sagostund",
        title="Sagostunden som familjerna inte hittade till",
        summary=(
            "Stadsbiblioteket läste sagor på svenska och på arabiska, somaliska eller dari "
            "varannan lördag. Få familjer kom, eftersom sagostunderna bara annonserades där "
            "familjerna inte finns. Lärdomen: gå dit familjerna redan är."
        ),
        hero=Picture(
            title="Demo: tvåspråkig bilderbok",
            alt=(
                "Tecknad bild: en uppslagen bilderbok med en sol och ett träd; över boken "
                "svävar två pratbubblor i olika färger."
            ),
            scene="picture_book",
        ),
        body=(
            Text(
                (
                    "Barn som har ett annat modersmål än svenska kom sällan på bibliotekets "
                    "sagostunder. Bibliotekarien Fia Karlsson ville pröva sagostunder där samma "
                    "saga läses på två språk. Testet planerades för tio veckor, med en sagostund "
                    "varannan lördag.",
                )
            ),
            Quote(
                "Sagorna var fina, och barnen som kom älskade dem. Men vi väntade på familjer "
                "som aldrig hade hört talas om oss.",
                "Fia Karlsson, bibliotekarie",
            ),
            Text(
                (
                    "Efter tre sagostunder med nästan tomma stolar stoppade vi testet. När vi "
                    "frågade föräldrar på öppna förskolan visste ingen om sagostunderna – de läser "
                    "inte bibliotekets webbplats.",
                )
            ),
            Figure(
                Picture(
                    title="Demo: förskolegård en solig dag",
                    alt=(
                        "Tecknad bild: fyra barn och en vuxen på gården framför en förskola en "
                        "solig dag."
                    ),
                    scene="preschool",
                ),
                "Nästa gång börjar vi på förskolan, där familjerna redan finns.",
            ),
            Facts(
                "Det här tar vi med oss",
                (
                    "Annonsera där familjerna är, inte där biblioteket är",
                    "Planera tillsammans med föräldrar som talar språken",
                    "Fråga familjerna vilken tid som passar dem",
                    "Idén lever vidare som bokpåsar till förskolorna",
                ),
            ),
        ),
        lesson={
            "what_was_tried": (
                "Tre sagostunder på lördagsförmiddagar, där samma saga lästes på svenska och på "
                "arabiska, somaliska eller dari. Två modersmålslärare läste, och biblioteket "
                "köpte bilderböcker på fyra språk."
            ),
            "what_we_learned": (
                "De familjer vi ville nå kom inte till biblioteket alls – vi annonserade bara "
                "på bibliotekets webbplats och anslagstavla. Sagostunden var bra, men ingen "
                "visste om den."
            ),
            "advice": (
                "Gå dit familjerna redan är: förskolan, öppna förskolan och föreningarna. Låt "
                "föräldrar som talar språken vara med och planera från början."
            ),
        },
    ),
    Story(
        idea="Gemensam inköpslista för hemtjänstens handling",
        owner="anna",
        slug="gemensam-inkopslista",
        title="Inköpslistan var ett samtal, inte administration",
        summary=(
            "Hemtjänsten testade en gemensam digital inköpslista för brukare, anhöriga och "
            "personal. Appen fungerade, men brukarna ville inte skriva listan själva – att "
            "skriva den tillsammans är ett tillfälle att prata."
        ),
        hero=Picture(
            title="Demo: korg med matvaror",
            alt=(
                "Tecknad bild: en flätad korg med äpplen och bröd, och en mjölkförpackning bredvid."
            ),
            scene="shopping_basket",
        ),
        body=(
            Text(
                (
                    "Personalen i hemtjänsten skriver inköpslistor för hand hemma hos brukarna. "
                    "Listorna kommer bort eller går inte att läsa i affären, och anhöriga vet inte "
                    "vad som redan är handlat. Anna Lindqvist föreslog en gemensam lista i en app "
                    "där brukaren, anhöriga och personalen kan lägga till varor.",
                )
            ),
            Figure(
                Picture(
                    title="Demo: inköpslista vid köksbordet",
                    alt=(
                        "Tecknad bild: två personer sitter vid ett köksbord med kaffekoppar och "
                        "en handskriven lista mellan sig."
                    ),
                    scene="kitchen_table",
                ),
                "För många brukare är stunden vid köksbordet, när listan skrivs, en av dagens "
                "viktigaste.",
            ),
            Text(
                (
                    "Efter sex veckor var det ungefär lika många fel i handlingen som förut, och "
                    "ingen tid sparades – den gick åt till att hjälpa brukarna med appen. Bara tre "
                    "av tolv brukare ville fortsätta.",
                )
            ),
            Quote(
                "Jag vill inte trycka på en telefon. Jag vill att någon sitter ner med mig en "
                "stund.",
                "Brukare i Hemtjänst Norr",
            ),
            Facts(
                "Utfall mot målen",
                (
                    "Felhandlade varor: ungefär lika många som förut",
                    "Sparad tid per inköp: ingen (mål: 10 minuter)",
                    "Ville fortsätta: 3 av 12 brukare (mål: 8)",
                    "De anhöriga som använde appen var nöjda",
                ),
            ),
        ),
        lesson={
            "what_was_tried": (
                "Tolv brukare, deras anhöriga och personalen delade en inköpslista i en "
                "gratisapp under sex veckor."
            ),
            "what_we_learned": (
                "Appen fungerade, men de flesta brukare ville inte skriva listan själva: att "
                "skriva inköpslistan tillsammans är ett tillfälle att prata. Tiden vi skulle "
                "spara gick åt till att hjälpa brukarna med appen."
            ),
            "advice": (
                "Fråga brukarna innan ni bygger bort ett samtal – det som ser ut som "
                "administration kan vara omsorg. Börja med anhöriga som redan handlar åt sina "
                "närstående; där kan en delad lista göra nytta."
            ),
        },
    ),
)


# --- the best mistake of the year ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NominationSpec:
    title: str
    story: str
    nominated_by: str
    outcome: NominationState  # shortlisted, not chosen or winner
    idea: str = ""  # a learned demo idea's title
    motivation: str = ""


@dataclass(frozen=True, kw_only=True)
class MistakeYear:
    years_ago: int
    introduction: str
    jury: str  # the jury member who records the jury's decisions
    nominations: tuple[NominationSpec, ...]


MISTAKE_YEARS = (
    MistakeYear(
        years_ago=1,
        introduction=(
            "Juryn – beslutsgruppens ledamöter och innovationscoacherna – fick in nomineringar "
            "från hela kommunen. Här är årets vinnare och de nominerade som gick vidare till "
            "juryns slutomgång."
        ),
        jury="fia",
        nominations=(
            NominationSpec(
                title="Informationsbladet som ingen förstod",
                story=(
                    "Inför de nya tiderna för sophämtning skickade vi ett informationsblad till "
                    "4 000 hushåll. Det var skrivet på kanslisvenska, fanns bara på papper och "
                    "nämnde inte att kärlen skulle ställas ut kvällen innan. Kundtjänst fick 600 "
                    "samtal första veckan, och många kärl blev stående. Nu testar vi alla "
                    "utskick på fem invånare innan de skickas, och skriver dem på klarspråk och "
                    "flera språk."
                ),
                nominated_by="dan",
                outcome=NominationState.WINNER,
                motivation=(
                    "Ett misstag som många känner igen, och en lärdom som redan har ändrat hur "
                    "hela förvaltningen skriver till invånarna. Juryn lyfter modet att räkna "
                    "samtalen i stället för att tiga om dem, och en lösning – fem invånare "
                    "läser först – som är så enkel att alla kan göra likadant."
                ),
            ),
            NominationSpec(
                title="Surfplattorna som blev kvar i kartongerna",
                story=(
                    "Vi köpte 30 surfplattor till förskolorna innan vi hade frågat pedagogerna "
                    "vad de behövde. Plattorna låg kvar i kartongerna i ett halvår, tills två "
                    "pedagoger visade vad de faktiskt kunde användas till. Lärdom: börja med "
                    "dem som ska använda det, inte med inköpet."
                ),
                nominated_by="bo",
                outcome=NominationState.SHORTLISTED,
            ),
            NominationSpec(
                title="Mötet om färre möten",
                story=(
                    "En arbetsgrupp fick i uppdrag att minska antalet interna möten och "
                    "träffades elva gånger på ett halvår. Förslaget blev bra – stående möten på "
                    "högst 20 minuter – men vi lärde oss att testa en idé i stället för att "
                    "utreda den."
                ),
                nominated_by="eva",
                outcome=NominationState.SHORTLISTED,
            ),
            NominationSpec(
                title="Fel datum i kallelsen till föräldramötet",
                story=(
                    "Kallelsen till höstens föräldramöte hade fel datum, och rättelsen gick ut "
                    "först dagen före. Nu läser en kollega alltid kallelsen innan den skickas."
                ),
                nominated_by="bo",
                outcome=NominationState.NOT_CHOSEN,
            ),
        ),
    ),
    MistakeYear(
        years_ago=0,
        introduction=(
            "I år kom de flesta nomineringarna från tester i idéslussen som inte blev som vi "
            "tänkt – och som vi lärde oss mest av. Här är juryns vinnare och de nominerade "
            "som gick vidare till slutomgången."
        ),
        jury="cia",
        nominations=(
            NominationSpec(
                title="Sex elcyklar vid fel hus",
                idea="Cykelpool för personalen",
                story=(
                    "Vi hyrde sex elcyklar för att ersätta korta bilresor i tjänsten – och "
                    "ställde dem vid stadshuset. Men de flesta tjänsteresor börjar på andra "
                    "arbetsplatser. Cyklarna bokades 18 gånger i månaden i stället för 60, och "
                    "bilresorna minskade inte. Arbetsgruppen stoppade testet, lämnade tillbaka "
                    "pengarna som blev över och skrev ner allt de hade lärt sig."
                ),
                nominated_by="eva",
                outcome=NominationState.WINNER,
                motivation=(
                    "Arbetsgruppen mätte ärligt, stoppade i tid och lämnade tillbaka pengarna "
                    "som inte behövdes. Lärdomen – ta reda på var resorna börjar innan "
                    "cyklarna ställs ut – gäller långt fler idéer än cykelpooler. Ett "
                    "föredömligt exempel på att ett stoppat test också är ett resultat."
                ),
            ),
            NominationSpec(
                title="Sagostunden som ingen hittade till",
                idea="Tvåspråkig sagostund",
                story=(
                    "Bibliotekets tvåspråkiga sagostund annonserades bara på bibliotekets "
                    "webbplats och anslagstavla – där de familjer vi ville nå aldrig tittar. "
                    "Efter tre lördagar med nästan tomma stolar stoppade vi testet. Idén lever "
                    "vidare som bokpåsar till förskolorna."
                ),
                nominated_by="bo",
                outcome=NominationState.SHORTLISTED,
            ),
            NominationSpec(
                title="Appen som tog bort samtalet",
                idea="Gemensam inköpslista för hemtjänstens handling",
                story=(
                    "Vi ville spara tid med en digital inköpslista i hemtjänsten. Men för "
                    "brukarna var stunden när listan skrivs tillsammans med personalen en av "
                    "dagens viktigaste. Appen fungerade – men den löste ett problem som "
                    "brukarna inte hade."
                ),
                nominated_by="dan",
                outcome=NominationState.SHORTLISTED,
            ),
            NominationSpec(
                title="Julbordet som bokades två gånger",
                story=(
                    "Två enheter bokade samma lokal till sina julbord samma kväll, och ingen "
                    "hade tittat i den gemensamma kalendern. Det löste sig med ett gemensamt "
                    "julbord – men nu bokar vi lokalerna i ett och samma system."
                ),
                nominated_by="eva",
                outcome=NominationState.NOT_CHOSEN,
            ),
        ),
    ),
)


# --- introductions of the fixed sections ----------------------------------------------------

INTRODUCTIONS = {
    "home": (
        "Idéslussen är kommunens väg från idé till förbättring. Alla medarbetare kan skicka in "
        "ett problem de ser i vardagen och en idé om hur det kan lösas. Kollegor ställer sig "
        "bakom idén, en innovationscoach hjälper till att planera ett litet test, och "
        "innovationsfonden betalar till exempel en vikarie medan testet pågår. Det som "
        "fungerar införs i det ordinarie arbetet, och det som inte fungerar blir lärdomar som "
        "alla kan ta del av."
    ),
    "resultat": (
        "Idéer som testades, fungerade och nu är en del av det ordinarie arbetet. Varje "
        "berättelse visar vad testet kostade, vem som driver arbetet i dag och vilka beslut "
        "innovationsfonden fattade."
    ),
    "lardomar": (
        "Alla tester blir inte som vi tänkt – och det är en del av poängen. Här delar vi vad "
        "som prövades, vad vi lärde oss och vad andra bör veta innan de försöker."
    ),
    "arets-basta-misstag": (
        "Varje år utser en jury av beslutsgruppens ledamöter och innovationscoacherna årets "
        "bästa misstag: ett försök som inte blev som vi tänkt, men som vi lärde oss mycket av "
        "och som andra kan lära sig av. Vinnaren får ett diplom och en tårta till "
        "arbetsplatsen."
    ),
    "fonden": (
        "Innovationsfonden ger medarbetare tid och pengar att testa sina idéer: vikarier när "
        "ordinarie arbete ska täckas, material och tjänster som testet behöver. Kommunen "
        f"avsätter {CAPITAL // 1_000_000} miljoner kronor om året. Ansökningar upp till "
        f"{kronor(DELEGATED_LIMIT)} kr beslutar innovationscoachen på delegation; större "
        "ansökningar beslutar fondens beslutsgrupp. Här ser du vad pengarna har gått till, "
        "vad testerna blev och alla beslut i fondens diarium."
    ),
}


# --- seeding -----------------------------------------------------------------------------------


@dataclass
class ShowcaseSummary:
    """What a run added: published pages, drawn pictures, best-mistake nominations."""

    pages: int = 0
    pictures: int = 0
    nominations: int = 0


def _publish(page: Page, editor: User, *, at: datetime.datetime | None = None) -> None:
    """Publish the page's current state as a revision by the editor, dated `at` if given.

    Wagtail checks the editor's right to publish: the coaches' group has it on the
    home page's subtree (cms migration 0004)."""
    page.save_revision(user=editor, log_action=True).publish(user=editor)
    if at is not None:
        at = min(at, timezone.now())
        Page.objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)


def _write_introductions(sections: dict[str, Page], editor: User) -> int:
    """Publish an introduction on each section still without one; returns how many."""
    written = 0
    for key, introduction in INTRODUCTIONS.items():
        page = sections[key].specific
        if page.introduction:
            continue  # an editor's text is never overwritten
        page.introduction = introduction
        _publish(page, editor)
        written += 1
    return written


def _seed_story(story: Story, *, index: Page, model, editor: User, images) -> bool:
    """Publish the story page on its idea unless its slug exists; True when created."""
    if model.objects.child_of(index).filter(slug=story.slug).exists():
        return False
    idea = Idea.objects.get(title=story.idea, owner__username=story.owner)
    if not idea.publication_consent:
        # The owner agrees on the idea page before a coach may make a public page.
        idea = idea_set_consent(idea=idea, by=idea.owner, consent=True)
    page = model(
        title=story.title,
        slug=story.slug,
        idea=idea,
        summary=story.summary,
        hero_image=images[story.hero.title],
        hero_image_alt=story.hero.alt,
        body=json.dumps([block.raw(images) for block in story.body]),
        owner=editor,
        live=False,
        **story.lesson,
    )
    index.add_child(instance=page)
    _publish(page, editor, at=idea.state_changed_at + datetime.timedelta(days=PUBLISHED_AFTER_DAYS))
    return True


def _jury_period(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first nomination to the jury's pick: the autumn of a past year; this year,
    the weeks before today (never before New Year, never after now)."""
    now = timezone.now()
    if year < timezone.localdate(now).year:
        decided = timezone.make_aware(datetime.datetime(year, 12, 8, 14))
        return decided - datetime.timedelta(days=45), decided
    new_year = min(timezone.make_aware(datetime.datetime(year, 1, 1, 9)), now)
    decided = max(now - datetime.timedelta(days=3), new_year)
    return max(decided - datetime.timedelta(days=40), new_year), decided


def _judge_year(spec: MistakeYear, *, year: int, users: dict[str, User]) -> int:
    """Staff nominate during the first half of the jury's period, the jury shortlists and
    sets aside at three quarters and picks the winner at its end. A year that already has
    nominations is left to its jury. Returns how many nominations were added."""
    if Nomination.objects.filter(year=year).exists():
        return 0
    first, decided = _jury_period(year)
    period = decided - first
    jury = users[spec.jury]
    nominations = []
    for number, item in enumerate(spec.nominations):
        idea = Idea.objects.get(title=item.idea, state=IdeaState.LEARNED) if item.idea else None
        with happening_at(first + period * number / (2 * len(spec.nominations))):
            nomination = mistake_services.nominate(
                by=users[item.nominated_by],
                year=year,
                title=item.title,
                story=item.story,
                idea=idea,
                consent_confirmed=True,
            )
        nominations.append((item, nomination))
    with happening_at(first + period * 3 / 4):
        for item, nomination in nominations:
            if item.outcome == NominationState.NOT_CHOSEN:
                mistake_services.set_aside(nomination=nomination, by=jury)
            else:
                mistake_services.shortlist(nomination=nomination, by=jury)
    with happening_at(decided):
        for item, nomination in nominations:
            if item.outcome == NominationState.WINNER:
                mistake_services.pick_winner(
                    nomination=nomination, by=jury, motivation=item.motivation
                )
    return len(nominations)


def _seed_year_page(spec: MistakeYear, *, year: int, archive: Page, editor: User) -> bool:
    """Publish the year's page the day after the jury's pick, unless it exists."""
    if MistakeYearPage.objects.filter(year=year).exists():
        return False
    page = MistakeYearPage(
        title=f"Årets bästa misstag {year}",
        slug=str(year),
        year=year,
        introduction=spec.introduction,
        owner=editor,
        live=False,
    )
    archive.add_child(instance=page)
    _publish(page, editor, at=_jury_period(year)[1] + datetime.timedelta(days=1))
    return True


def seed_showcase(*, users: list[User]) -> ShowcaseSummary:
    """Build the public site's demo content; returns what was added."""
    by_username = {user.username: user for user in users}
    editor = by_username[EDITOR]
    summary = ShowcaseSummary()
    sections = ensure_site_tree()
    summary.pages += _write_introductions(sections, editor)

    collection = demo_collection()
    images = {}
    for story in (*RESULTS, *LESSONS):
        for picture in story.pictures:
            images[picture.title], created = demo_image(picture, collection=collection, by=editor)
            summary.pictures += created

    for story in RESULTS:
        summary.pages += _seed_story(
            story, index=sections["resultat"], model=ResultPage, editor=editor, images=images
        )
    for story in LESSONS:
        summary.pages += _seed_story(
            story, index=sections["lardomar"], model=LessonPage, editor=editor, images=images
        )

    this_year = timezone.localdate().year
    for spec in MISTAKE_YEARS:
        year = this_year - spec.years_ago
        summary.nominations += _judge_year(spec, year=year, users=by_username)
        summary.pages += _seed_year_page(
            spec, year=year, archive=sections["arets-basta-misstag"], editor=editor
        )
    return summary
