/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bulletin board's longer texts in English and Welsh. Tenant pages
 * use plain words; only the "about the maths" page names the mathematics.
 */
#include "site.h"

const site_words site_check_words[TV_VERIFY_CHECKS] = {
	{ "The record is complete and is for this ballot.",
	  "Mae'r cofnod yn gyflawn ac ar gyfer y bleidlais hon." },
	{ "The ballot's settings (the question, the answers, the dates) are the ones published.",
	  "Gosodiadau'r bleidlais (y cwestiwn, yr atebion, y dyddiadau) yw'r rhai a gyhoeddwyd." },
	{ "The trustees made the lock that keeps every ballot secret together, so that no one "
	  "person can open a ballot.",
	  "Gwnaeth yr ymddiriedolwyr y clo sy'n cadw pob pleidlais yn gyfrinachol gyda'i gilydd, "
	  "fel na all unrhyw un person agor pleidlais." },
	{ "The list of voting codes is the one the independent issuer signed.",
	  "Y rhestr o godau pleidleisio yw'r un a lofnodwyd gan y cyhoeddwr annibynnol." },
	{ "Every ballot on the board is for this ballot, came in a way of voting that is allowed, "
	  "and arrived while voting was open.",
	  "Mae pob pleidlais ar y bwrdd ar gyfer y bleidlais hon, wedi dod mewn ffordd o "
	  "bleidleisio a ganiateir, ac wedi cyrraedd tra oedd y pleidleisio ar agor." },
	{ "Every ballot was cast with a voting code from the list.",
	  "Cafodd pob pleidlais ei bwrw gyda chod pleidleisio o'r rhestr." },
	{ "Every ballot is signed with its voting code and holds one allowed answer (or is "
	  "blank), without showing which.",
	  "Mae pob pleidlais wedi'i llofnodi gyda'i chod pleidleisio ac mae'n dal un ateb a "
	  "ganiateir (neu mae'n wag), heb ddangos pa un." },
	{ "No ballot is on the board twice.",
	  "Nid yw'r un bleidlais ar y bwrdd ddwywaith." },
	{ "No ballot was taken away, changed or moved after it was put on the board.",
	  "Ni chafodd yr un bleidlais ei thynnu, ei newid na'i symud ar ôl ei rhoi ar y bwrdd." },
	{ "The board was closed and signed when voting ended: nothing was added afterwards.",
	  "Cafodd y bwrdd ei gau a'i lofnodi pan ddaeth y pleidleisio i ben: ni ychwanegwyd dim "
	  "wedyn." },
	{ "The totals were added up from exactly the ballots that count.",
	  "Cafodd y cyfansymiau eu hadio o'r union bleidleisiau sy'n cyfrif." },
	{ "Each trustee unlocked only the totals, never a single ballot, and showed it was done "
	  "correctly.",
	  "Datglodd pob ymddiriedolwr y cyfansymiau yn unig, byth un bleidlais, a dangos iddo gael "
	  "ei wneud yn gywir." },
	{ "The numbers of votes are the ones the trustees unlocked.",
	  "Nifer y pleidleisiau yw'r rhai a ddatglowyd gan yr ymddiriedolwyr." },
	{ "The result follows this ballot's counting rule.",
	  "Mae'r canlyniad yn dilyn rheol gyfrif y bleidlais hon." },
	{ "The declaration says what the numbers say.",
	  "Mae'r datganiad yn dweud yr hyn y mae'r rhifau'n ei ddweud." },
};

const site_words site_maths[] = {
	{ "#Secret ballots that add up",
	  "#Pleidleisiau cudd sy'n adio" },
	{ "Each answer on a ballot is encrypted with exponential ElGamal on the elliptic curve "
	  "P-256: a 1 for the answer chosen, a 0 for every other. Encrypted numbers of this kind "
	  "can be multiplied together to give an encryption of their sum, so the totals are "
	  "computed from the encrypted ballots without opening any of them.",
	  "Caiff pob ateb ar bleidlais ei amgryptio gydag ElGamal esbonyddol ar y gromlin elliptig "
	  "P-256: 1 ar gyfer yr ateb a ddewiswyd, 0 ar gyfer pob un arall. Gellir lluosi rhifau "
	  "wedi'u hamgryptio fel hyn gyda'i gilydd i gael amgryptiad o'u swm, felly caiff y "
	  "cyfansymiau eu cyfrifo o'r pleidleisiau wedi'u hamgryptio heb agor yr un ohonynt." },
	{ "#Proofs that every ballot is valid",
	  "#Profion bod pob pleidlais yn ddilys" },
	{ "With each encrypted answer comes a disjunctive Chaum–Pedersen proof that it is 0 or 1, "
	  "and a proof that the answers together are within what the ballot allows. The proofs "
	  "show this without showing the answer. Each ballot is signed (a Schnorr signature) with "
	  "the key derived from the tenant's voting code, and its proofs are bound to that key, so "
	  "a ballot cannot be copied under another code.",
	  "Gyda phob ateb wedi'i amgryptio daw prawf Chaum–Pedersen datgysylltiol ei fod yn 0 neu'n "
	  "1, a phrawf bod yr atebion gyda'i gilydd o fewn yr hyn y mae'r bleidlais yn ei ganiatáu. "
	  "Mae'r profion yn dangos hyn heb ddangos yr ateb. Caiff pob pleidlais ei llofnodi "
	  "(llofnod Schnorr) gyda'r allwedd a ddeilliwyd o god pleidleisio'r tenant, ac mae ei "
	  "phroflenni wedi'u rhwymo i'r allwedd honno, felly ni ellir copïo pleidlais o dan god "
	  "arall." },
	{ "#The trustees' key",
	  "#Allwedd yr ymddiriedolwyr" },
	{ "The election key was made by the trustees together in a threshold key ceremony "
	  "(Pedersen's joint Feldman verifiable secret sharing, with Schnorr proofs of knowledge). "
	  "Any quorum of them can decrypt the totals; fewer cannot decrypt anything. Each "
	  "trustee's partial decryption carries a Chaum–Pedersen proof that it used its share "
	  "of the key.",
	  "Gwnaed allwedd yr etholiad gan yr ymddiriedolwyr gyda'i gilydd mewn seremoni allwedd "
	  "trothwy (rhannu cyfrinach gwiriadwy Feldman ar y cyd Pedersen, gyda phroflenni "
	  "gwybodaeth Schnorr). Gall unrhyw gworwm ohonynt ddadgryptio'r cyfansymiau; ni all llai "
	  "ddadgryptio dim. Mae dadgryptiad rhannol pob ymddiriedolwr yn dod gyda phrawf "
	  "Chaum–Pedersen iddo ddefnyddio ei gyfran o'r allwedd." },
	{ "#The board and its hash chain",
	  "#Y bwrdd a'i gadwyn stwnsh" },
	{ "Every entry on the board carries a SHA-256 hash of the one before it (a hash chain), and "
	  "the ballot box signed the last hash with Ed25519 when voting closed. Each receipt is "
	  "signed too and gives the hash at its position, so a ballot taken away, changed or "
	  "moved would show on every later receipt.",
	  "Mae pob cofnod ar y bwrdd yn cario stwnsh SHA-256 o'r un o'i flaen (cadwyn stwnsh), a "
	  "llofnododd y blwch pleidleisio'r stwnsh olaf gydag Ed25519 pan gaeodd y pleidleisio. "
	  "Caiff pob derbynneb ei llofnodi hefyd ac mae'n rhoi'r stwnsh yn ei safle, felly "
	  "byddai pleidlais a dynnwyd, a newidiwyd neu a symudwyd yn dangos ar bob derbynneb "
	  "ddiweddarach." },
	{ "#Tracking codes and check codes",
	  "#Codau olrhain a chodau gwirio" },
	{ "A ballot's tracking code is a SHA-256 hash of the whole encrypted ballot. The short form "
	  "on a receipt is its first 75 bits in Crockford's base 32 with a Luhn mod 32 check "
	  "character, which catches any one mistyped character. A voting code's check code is the "
	  "first 40 bits of a hash of its public key. The look-ups on this site run in your "
	  "browser against small index files: nothing you type is sent anywhere.",
	  "Stwnsh SHA-256 o'r bleidlais gyfan wedi'i hamgryptio yw cod olrhain pleidlais. Y ffurf "
	  "fer ar dderbynneb yw ei 75 did cyntaf yn base 32 Crockford gyda nod gwirio Luhn mod 32, "
	  "sy'n dal unrhyw un nod wedi'i gamdeipio. Cod gwirio cod pleidleisio yw 40 did cyntaf "
	  "stwnsh o'i allwedd gyhoeddus. Mae'r chwiliadau ar y wefan hon yn rhedeg yn eich porwr "
	  "yn erbyn ffeiliau mynegai bach: ni chaiff dim a deipiwch ei anfon i unman." },
	{ "#Challenged ballots",
	  "#Pleidleisiau a heriwyd" },
	{ "A voter may ask for a prepared ballot to be opened instead of cast (a Benaloh "
	  "challenge), to see that the device encrypted the answer chosen. Opened ballots are on "
	  "the board with their secrets and never count.",
	  "Gall pleidleisiwr ofyn i bleidlais a baratowyd gael ei hagor yn lle ei bwrw (her "
	  "Benaloh), i weld bod y ddyfais wedi amgryptio'r ateb a ddewiswyd. Mae pleidleisiau a "
	  "agorwyd ar y bwrdd gyda'u cyfrinachau ac nid ydynt byth yn cyfrif." },
};

const size_t site_maths_count = sizeof(site_maths) / sizeof(site_maths[0]);

const site_words site_maths_papers[] = {
	{ "#Ballot papers",
	  "#Papurau pleidleisio" },
	{ "A ballot paper is encrypted in advance by the independent issuer: every answer on it, "
	  "each under the election key. The short code printed beside an answer is the first 20 "
	  "bits of a SHA-256 hash of that answer's encryption, so whoever records a paper records "
	  "only its identifier and the code beside the mark, never the answer. Every paper not "
	  "cast was opened after voting closed, and anyone can recompute its encryptions and "
	  "codes from its opening. The board names a paper by a SHA-256 hash of its identifier, "
	  "never by the identifier itself; the ballot paper page computes that hash in your "
	  "browser and looks it up in small index files, so the identifier you type is not sent "
	  "anywhere.",
	  "Caiff papur pleidleisio ei amgryptio ymlaen llaw gan y cyhoeddwr annibynnol: pob ateb "
	  "arno, pob un o dan allwedd yr etholiad. Y cod byr sydd wedi'i argraffu wrth ymyl ateb "
	  "yw 20 did cyntaf stwnsh SHA-256 o amgryptiad yr ateb hwnnw, felly mae pwy bynnag sy'n "
	  "cofnodi papur yn cofnodi ei god adnabod a'r cod wrth ymyl y marc yn unig, byth yr ateb. "
	  "Cafodd pob papur na chafodd ei fwrw ei agor ar ôl i'r pleidleisio gau, a gall unrhyw un "
	  "ailgyfrifo ei amgryptiadau a'i godau o'r hyn a agorwyd. Mae'r bwrdd yn enwi papur "
	  "drwy stwnsh SHA-256 o'i god adnabod, byth drwy'r cod adnabod ei hun; mae tudalen y "
	  "papur pleidleisio yn cyfrifo'r stwnsh hwnnw yn eich porwr ac yn chwilio amdano mewn "
	  "ffeiliau mynegai bach, felly ni chaiff y cod adnabod a deipiwch ei anfon i unman." },
};

const size_t site_maths_papers_count = sizeof(site_maths_papers) / sizeof(site_maths_papers[0]);

/* as lib/tally/declaration.c words them: a tenant reads the same reason on
 * the ballot paper page as in the declaration on the home page */
const site_words site_reason_words[TV_SPOILT_REASONS] = {
	{ "Want of official mark", "Heb farc swyddogol" },
	{ "Voting for more than one answer", "Pleidleisio dros fwy nag un ateb" },
	{ "Writing or mark by which the voter could be identified",
	  "Ysgrifen neu farc y gellid adnabod y pleidleisiwr wrtho" },
	{ "Unmarked or void for uncertainty",
	  "Heb ei farcio neu\u2019n ddi-rym oherwydd ansicrwydd" },
};
