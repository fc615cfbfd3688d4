import Tickets

/// One labelled matching problem: a ticket, what the indexers returned, and which candidates are right.
struct AccuracyCase {
    let name: String
    let ticket: Ticket
    let releases: [Release]
    /// Indices of the right candidates; empty when none is (then nothing may be auto-approved).
    let right: Set<Int>
}

private func c(_ name: String, _ ticket: Ticket, _ releases: [Release], right: Set<Int>) -> AccuracyCase {
    AccuracyCase(name: name, ticket: ticket, releases: releases, right: right)
}

// Shorthands for the albums' release builders.
private let okc = Albums.okComputer.releases, wall = Albums.theWall.releases, daft = Albums.discovery.releases
private let elo = Albums.eloDiscovery.releases, nirvana = Albums.nevermind.releases, bjork = Albums.homogenic.releases
private let krovi = Albums.gruppaKrovi.releases, utada = Albums.firstLove.releases, fmac = Albums.rumours.releases
private let kob = Albums.kindOfBlue.releases, abbey = Albums.abbeyRoad.releases, blue = Albums.weezerBlue.releases
private let green = Albums.weezerGreen.releases, mezz = Albums.mezzanine.releases, sigur = Albums.agaetis.releases
private let pulp = Albums.pulpFiction.releases

private let live = [("Intro", 75.0), ("Band Introductions", 95.0)]

enum AccuracyCases {
    static let all: [AccuracyCase] =
        okComputer + theWall + discovery + nevermind + homogenic + kino + firstLove
        + rumours + kindOfBlue + abbeyRoad + weezer + mezzanine + sigurRos + pulpFiction

    static let okComputer: [AccuracyCase] = [
        c(
            "the album next to a live album, a deluxe edition and a discography", Albums.okComputer.ticket(),
            [
                okc.release("Radiohead - OK Computer Live at the Astoria (1997) [FLAC]", seeders: 80, bonus: live, stretch: 1.08),
                okc.release(
                    "Radiohead - OK Computer OKNOTOK 1997 2017 (Deluxe Edition) [FLAC]", seeders: 60,
                    bonus: [("I Promise", 240), ("Man of War", 268), ("Lift", 248)]),
                okc.release("Radiohead - Discography (1993-2016) [FLAC]", seeders: 200, root: "Radiohead - Discography/1997 - OK Computer"),
                okc.release(
                    "Radiohead - OK Computer (1997) [FLAC / Lossless / Log / CD]", seeders: 34, extras: ["cover.jpg", "Radiohead - OK Computer.log"]),
            ], right: [3]),
        c(
            "a lossless and a lossy copy: the lossless one for a lossy target", Albums.okComputer.ticket(),
            [
                okc.release("Radiohead - OK Computer [1997] [MP3 320 kbps]", seeders: 120, layout: .dotted, ext: "mp3", kbps: 320),
                okc.release("Radiohead - OK Computer (1997) [FLAC]", seeders: 15),
            ], right: [1]),
        c(
            "scene naming", Albums.okComputer.ticket(),
            [
                okc.release(
                    "Radiohead-OK_Computer-CD-FLAC-1997-PERFECT", seeders: 12, layout: .scene,
                    extras: ["00-radiohead-ok_computer.nfo", "00-radiohead-ok_computer.sfv"]),
                okc.release(
                    "Radiohead - 1997-05-24 Amsterdam (Bootleg) [MP3]", seeders: 3, ext: "mp3", kbps: 192, keep: [0, 1, 5, 9], bonus: live,
                    stretch: 1.1),
            ], right: [0]),
        c(
            "an image + cue rip alone", Albums.okComputer.ticket(),
            [
                okc.release("Radiohead - OK Computer (1997) [FLAC image+.cue]", seeders: 9, layout: .image)
            ], right: [0]),
        c(
            "two tracks missing and nothing else: a person decides", Albums.okComputer.ticket(),
            [
                okc.release("Radiohead - OK Computer (1997) [FLAC]", seeders: 40, keep: Array(0..<10))
            ], right: []),
        c(
            "a FLAC target: lossy copies cannot feed it", Albums.okComputer.ticket(format: .flac),
            [
                okc.release("Radiohead - OK Computer (1997) [MP3 320]", seeders: 300, ext: "mp3", kbps: 320),
                okc.release("Radiohead - OK Computer (1997) [AAC 256]", seeders: 50, ext: "m4a", kbps: 256),
                okc.release("Radiohead - OK Computer (1997) [FLAC 16-44.1]", seeders: 8),
            ], right: [2]),
        c(
            "a FLAC target with only lossy copies", Albums.okComputer.ticket(format: .flac),
            [
                okc.release("Radiohead - OK Computer (1997) [MP3 320]", seeders: 300, ext: "mp3", kbps: 320)
            ], right: []),
    ]

    static let theWall: [AccuracyCase] = [
        c(
            "two discs in CD folders next to a live recording", Albums.theWall.ticket(),
            [
                wall.release("Roger Waters - The Wall Live in Berlin (1990) [FLAC]", seeders: 40, layout: .discFolders("CD%d"), stretch: 1.1),
                wall.release("Pink Floyd - The Wall (1979) [2CD] [FLAC]", seeders: 22, layout: .discFolders("CD%d")),
            ], right: [1]),
        c(
            "disc-track numbers (1-03) in MP3 next to a box set", Albums.theWall.ticket(),
            [
                wall.release("Pink Floyd - The Wall (1979) [MP3 320]", seeders: 64, layout: .discPrefix, ext: "mp3", kbps: 320),
                wall.release(
                    "Pink Floyd - The Wall (Immersion Box Set) [FLAC]", seeders: 10, layout: .discFolders("Disc %d"),
                    bonus: [("Prayground (Demo)", 190), ("Sexual Revolution (Demo)", 260), ("The Show Must Go On (Demo)", 120)]),
            ], right: [0]),
        c(
            "one disc only next to the whole set in taper naming", Albums.theWall.ticket(),
            [
                wall.release("Pink Floyd - The Wall CD1 (1979) [FLAC]", seeders: 30, layout: .discFolders("Disc %d"), keep: Array(0..<13)),
                wall.release("Pink Floyd - The Wall (1979) [FLAC]", seeders: 18, layout: .taper),
            ], right: [1]),
        c(
            "one image + cue per disc", Albums.theWall.ticket(),
            [
                wall.release("Pink Floyd - The Wall (1979) [FLAC (image + .cue)]", seeders: 14, layout: .image)
            ], right: [0]),
        c(
            "a Japanese SHM-CD next to the film soundtrack", Albums.theWall.ticket(),
            [
                wall.release("Pink Floyd - The Wall (1979) [2008 Japan SHM-CD] FLAC", seeders: 6, layout: .discFolders("Disc %d")),
                wall.release(
                    "Pink Floyd - The Wall: Music from the Film (1982) [FLAC]", seeders: 20, keep: [0, 2, 4, 5, 13, 18, 20],
                    bonus: [("When the Tigers Broke Free", 200), ("What Shall We Do Now?", 110)]),
            ], right: [0]),
    ]

    static let discovery: [AccuracyCase] = [
        c(
            "a same-titled album by another artist", Albums.discovery.ticket(),
            [
                elo.release("Electric Light Orchestra - Discovery (1979) [FLAC]", seeders: 90),
                daft.release("Daft Punk - Discovery (2001) [FLAC]", seeders: 70),
            ], right: [1]),
        c(
            "only the same-titled album by another artist", Albums.discovery.ticket(),
            [
                elo.release("Electric Light Orchestra - Discovery (1979) [FLAC]", seeders: 90)
            ], right: []),
        c(
            "MP3 V0 next to a live album", Albums.discovery.ticket(),
            [
                daft.release("Daft Punk - Discovery (2001) [MP3 V0]", seeders: 45, ext: "mp3", kbps: 245),
                daft.release("Daft Punk - Alive 2007 (Live) [MP3 320]", seeders: 80, ext: "mp3", kbps: 320, keep: [0, 2, 3, 6, 7, 12], stretch: 1.2),
            ], right: [0]),
        c(
            "a best-of holding a few of its tracks", Albums.discovery.ticket(),
            [
                daft.release(
                    "Daft Punk - Musique Vol. 1 1993-2005 (Best Of) [FLAC]", seeders: 50, keep: [0, 2, 3, 8],
                    bonus: [("Da Funk", 330), ("Around the World", 430), ("Robot Rock", 288)]),
                daft.release("Daft Punk - Discovery (2001) [WEB FLAC 16-44.1]", seeders: 20, layout: .bare),
            ], right: [1]),
        c(
            "typos in the title and the files", Albums.discovery.ticket(),
            [
                daft.release(
                    "Daft Punk - Discovry (2001) FLAC", seeders: 11,
                    rename: [1: "Aerodinamic", 4: "Crescendols", 8: "Somthing About Us", 12: "Face To Fase"])
            ], right: [0]),
        c(
            "two equally good copies", Albums.discovery.ticket(),
            [
                daft.release("Daft Punk - Discovery (2001) [FLAC]", seeders: 30, root: "Daft Punk - Discovery"),
                daft.release("Daft Punk - Discovery [2001] FLAC", seeders: 31, layout: .dotted, root: "Discovery"),
            ], right: [0, 1]),
    ]

    static let nevermind: [AccuracyCase] = [
        c(
            "the album next to its 20th-anniversary deluxe edition", Albums.nevermind.ticket(),
            [
                nirvana.release(
                    "Nirvana - Nevermind (20th Anniversary Deluxe Edition) (2011) [FLAC]", seeders: 70, layout: .discFolders("CD%d"),
                    bonus: [("Endless, Nameless", 400), ("Even in His Youth", 183), ("Aneurysm", 287)]),
                nirvana.release("Nirvana - Nevermind (1991) [FLAC]", seeders: 40),
            ], right: [1]),
        c(
            "only the deluxe edition: it holds every track", Albums.nevermind.ticket(),
            [
                nirvana.release(
                    "Nirvana - Nevermind (Deluxe Edition) [FLAC]", seeders: 70, bonus: [("Endless, Nameless", 400), ("Even in His Youth", 183)])
            ], right: [0]),
        c(
            "an unplugged album next to the studio album in MP3", Albums.nevermind.ticket(),
            [
                nirvana.release(
                    "Nirvana - MTV Unplugged in New York (1994) [FLAC]", seeders: 150, keep: [5, 11],
                    bonus: [
                        ("About a Girl", 217), ("Come as You Are", 253), ("Lake of Fire", 174), ("All Apologies", 263),
                        ("Where Did You Sleep Last Night", 308),
                    ]),
                nirvana.release("Nirvana - Nevermind (1991) [MP3 320]", seeders: 60, layout: .dotted, ext: "mp3", kbps: 320),
            ], right: [1]),
        c(
            "no seeders disqualifies the better copy", Albums.nevermind.ticket(),
            [
                nirvana.release("Nirvana - Nevermind (1991) [FLAC]", seeders: 0),
                nirvana.release("Nirvana - Nevermind (1991) [MP3 320]", seeders: 25, ext: "mp3", kbps: 320),
            ], right: [1]),
        c(
            "a FLAC target: a vinyl rip over an MP3", Albums.nevermind.ticket(format: .flac),
            [
                nirvana.release("Nirvana - Nevermind (1991) [MP3 320]", seeders: 300, ext: "mp3", kbps: 320),
                nirvana.release("Nirvana - Nevermind (1991) [24-192 Vinyl FLAC]", seeders: 7, layout: .vinyl),
            ], right: [1]),
        c(
            "the hidden track inside the last file", Albums.nevermind.ticket(),
            [
                nirvana.release("Nirvana - Nevermind (1991) [FLAC]", seeders: 19, rename: [11: "Something in the Way - Endless, Nameless"])
            ], right: [0]),
    ]

    static let homogenic: [AccuracyCase] = [
        c(
            "diacritics folded in the title and files", Albums.homogenic.ticket(),
            [
                bjork.release("Bjork - Homogenic (1997) [FLAC]", seeders: 21, rename: [1: "Joga"])
            ], right: [0]),
        c(
            "the studio album next to a live album", Albums.homogenic.ticket(),
            [
                bjork.release("Björk - Homogenic Live (1998) [FLAC]", seeders: 12, bonus: live, stretch: 1.07),
                bjork.release("Björk - Homogenic (1997) [FLAC]", seeders: 10),
            ], right: [1]),
        c(
            "a greatest-hits next to the album in MP3 256", Albums.homogenic.ticket(),
            [
                bjork.release(
                    "Björk - Greatest Hits (2002) [FLAC]", seeders: 40, keep: [0, 1, 3, 9],
                    bonus: [("Army of Me", 234), ("Hyperballad", 321), ("Human Behaviour", 252)]),
                bjork.release("Björk - Homogenic (1997) [MP3 256]", seeders: 15, ext: "mp3", kbps: 256),
            ], right: [1]),
        c(
            "only a greatest-hits", Albums.homogenic.ticket(),
            [
                bjork.release(
                    "Björk - Greatest Hits (2002) [FLAC]", seeders: 40, keep: [0, 1, 3, 9], bonus: [("Army of Me", 234), ("Hyperballad", 321)])
            ], right: []),
    ]

    static let kino: [AccuracyCase] = [
        c(
            "Cyrillic titles next to another album of the band", Albums.gruppaKrovi.ticket(),
            [
                krovi.release(
                    "Кино - Звезда по имени Солнце (1989) [FLAC]", seeders: 30, keep: [],
                    bonus: [("Звезда по имени Солнце", 225), ("Невеселая песня", 219), ("Пачка сигарет", 268), ("Печаль", 339), ("Апрель", 412)]),
                krovi.release("Кино - Группа крови (1988) [FLAC]", seeders: 25),
            ], right: [1]),
        c(
            "a transliterated title with Cyrillic files next to a discography", Albums.gruppaKrovi.ticket(),
            [
                krovi.release("Кино - Дискография (1982-1990) [FLAC]", seeders: 80, root: "Кино - Дискография/1988 - Группа крови"),
                krovi.release("Kino - Gruppa Krovi (1988) [FLAC]", seeders: 9),
            ], right: [1]),
        c(
            "a ruTracker image + cue", Albums.gruppaKrovi.ticket(),
            [
                krovi.release("Кино - Группа крови [1988, Rock, FLAC (image+.cue)]", seeders: 17, layout: .image)
            ], right: [0]),
        c(
            "a compilation holding a few of its tracks next to a remaster", Albums.gruppaKrovi.ticket(),
            [
                krovi.release(
                    "Кино - Последний герой (1989) [FLAC]", seeders: 14, keep: [0, 2, 3, 4], bonus: [("Последний герой", 286), ("Хочу перемен", 295)]),
                krovi.release("Кино - Группа крови (Remastered 2012) [FLAC]", seeders: 5),
            ], right: [1]),
    ]

    static let firstLove: [AccuracyCase] = [
        c(
            "Japanese titles next to a 15th-anniversary edition", Albums.firstLove.ticket(),
            [
                utada.release(
                    "Utada Hikaru - First Love (15th Anniversary Deluxe Edition) [FLAC]", seeders: 20, layout: .discFolders("Disc %d"),
                    bonus: [("First Love (2014 Remastered)", 258), ("Automatic (Demo)", 322), ("B&C (Demo)", 290)]),
                utada.release("宇多田ヒカル - First Love (1999) [FLAC]", seeders: 12),
            ], right: [1]),
        c(
            "a romanised artist with Japanese file names", Albums.firstLove.ticket(),
            [
                utada.release("Utada Hikaru - First Love [1999] [MP3 320]", seeders: 33, ext: "mp3", kbps: 320)
            ], right: [0]),
        c(
            "the ticket without durations: the files decide", Albums.firstLove.ticket(durations: false),
            [
                utada.release("宇多田ヒカル - First Love (1999) [FLAC]", seeders: 12, layout: .bare),
                utada.release(
                    "宇多田ヒカル - Distance (2001) [FLAC]", seeders: 40, keep: [],
                    bonus: [("Wait & See ～リスク～", 319), ("Can You Keep a Secret?", 276), ("Distance", 302), ("Addicted to You", 316)]),
            ], right: [0]),
    ]

    static let rumours: [AccuracyCase] = [
        c(
            "the album next to a 3-CD anniversary edition and a greatest hits", Albums.rumours.ticket(),
            [
                fmac.release(
                    "Fleetwood Mac - Rumours (35th Anniversary Deluxe Edition) 3CD [FLAC]", seeders: 40, layout: .discFolders("CD%d"),
                    bonus: [("Silver Springs", 287), ("Planets of the Universe (Demo)", 221), ("Dreams (Take 2)", 290)]),
                fmac.release(
                    "Fleetwood Mac - Greatest Hits (1988) [FLAC]", seeders: 60, keep: [1, 3, 4, 6],
                    bonus: [("Rhiannon", 248), ("Sara", 283), ("Little Lies", 218)]),
                fmac.release("Fleetwood Mac - Rumours (1977) [FLAC]", seeders: 25),
            ], right: [2]),
        c(
            "320 kbps over 128 kbps", Albums.rumours.ticket(),
            [
                fmac.release("Fleetwood Mac - Rumours (1977) [MP3 128 kbps]", seeders: 90, ext: "mp3", kbps: 128),
                fmac.release("Fleetwood Mac - Rumours (1977) [MP3 320 kbps]", seeders: 40, ext: "mp3", kbps: 320),
            ], right: [1]),
        c(
            "only a live recording of the album", Albums.rumours.ticket(),
            [
                fmac.release("Fleetwood Mac - Rumours Live (2023) [FLAC]", seeders: 25, bonus: live, stretch: 1.1)
            ], right: []),
        c(
            "artist - album - NN - title file names", Albums.rumours.ticket(),
            [
                fmac.release("Fleetwood Mac - Rumours (1977) MP3 320", seeders: 18, layout: .long, ext: "mp3", kbps: 320)
            ], right: [0]),
        c(
            "a vinyl rip with side numbers", Albums.rumours.ticket(),
            [
                fmac.release("Fleetwood Mac - Rumours (1977) [Vinyl] [24-96 FLAC]", seeders: 8, layout: .vinyl)
            ], right: [0]),
        c(
            "a ticket without durations next to a live album", Albums.rumours.ticket(durations: false),
            [
                fmac.release("Fleetwood Mac - Rumours Live (2023) [FLAC]", seeders: 25, bonus: live, stretch: 1.1),
                fmac.release("Fleetwood Mac - Rumours (1977) [FLAC]", seeders: 21),
            ], right: [1]),
    ]

    static let kindOfBlue: [AccuracyCase] = [
        c(
            "the album next to the legacy edition with an alternate take", Albums.kindOfBlue.ticket(),
            [
                kob.release("Miles Davis - Kind of Blue (1959) [FLAC]", seeders: 30),
                kob.release("Miles Davis - Kind of Blue (Legacy Edition) [FLAC]", seeders: 25, bonus: [("Flamenco Sketches (Alternate Take)", 575)]),
            ], right: [0, 1]),
        c(
            "only the legacy edition: the alternate take must not take the track", Albums.kindOfBlue.ticket(),
            [
                kob.release("Miles Davis - Kind of Blue (Legacy Edition) [FLAC]", seeders: 25, bonus: [("Flamenco Sketches (Alternate Take)", 575)])
            ], right: [0]),
        c(
            "DSD and FLAC copies are both fine", Albums.kindOfBlue.ticket(),
            [
                kob.release("Miles Davis - Kind of Blue (1959) [SACD DSD64]", seeders: 6, ext: "dsf"),
                kob.release("Miles Davis - Kind of Blue (1959) [FLAC 16-44]", seeders: 14),
            ], right: [0, 1]),
        c(
            "a box set next to a V2 MP3", Albums.kindOfBlue.ticket(),
            [
                kob.release(
                    "Miles Davis - The Complete Columbia Studio Recordings (Box Set) [FLAC]", seeders: 20,
                    bonus: [("Milestones", 346), ("Sid's Ahead", 779)], root: "Box/Disc 12 - Kind of Blue"),
                kob.release("Miles Davis - Kind of Blue [MP3 V2]", seeders: 9, ext: "mp3", kbps: 190),
            ], right: [1]),
    ]

    static let abbeyRoad: [AccuracyCase] = [
        c(
            "the original next to the 2019 remix", Albums.abbeyRoad.ticket(),
            [
                abbey.release(
                    "The Beatles - Abbey Road (2019 Remix) (Super Deluxe Edition) [FLAC 24-96]", seeders: 50, layout: .discFolders("CD%d"),
                    bonus: [("Come Together (Take 5)", 220), ("Something (Studio Demo)", 180)]),
                abbey.release("The Beatles - Abbey Road (1969) [FLAC]", seeders: 28),
            ], right: [1]),
        c(
            "Her Majesty missing from one copy", Albums.abbeyRoad.ticket(),
            [
                abbey.release("The Beatles - Abbey Road (1969) [FLAC] [16 tracks]", seeders: 60, keep: Array(0..<16)),
                abbey.release("The Beatles - Abbey Road (1969) [FLAC]", seeders: 20),
            ], right: [1]),
        c(
            "scene naming without 'The'", Albums.abbeyRoad.ticket(),
            [
                abbey.release("Beatles-Abbey_Road-REMASTERED-CD-FLAC-2009-MOD", seeders: 13, layout: .scene)
            ], right: [0]),
        c(
            "a hits compilation next to an image + cue", Albums.abbeyRoad.ticket(),
            [
                abbey.release(
                    "The Beatles - 1 (2000) [FLAC]", seeders: 110, keep: [0, 1],
                    bonus: [("Love Me Do", 141), ("Help!", 138), ("Yesterday", 126), ("Let It Be", 243)]),
                abbey.release("The Beatles - Abbey Road (1969) [FLAC image+cue]", seeders: 10, layout: .image),
            ], right: [1]),
        c(
            "only another album of the band", Albums.abbeyRoad.ticket(),
            [
                abbey.release(
                    "The Beatles - Let It Be (1970) [FLAC]", seeders: 44, keep: [],
                    bonus: [
                        ("Two of Us", 216), ("Dig a Pony", 234), ("Across the Universe", 228), ("I Me Mine", 145), ("Let It Be", 243),
                        ("Get Back", 189),
                    ])
            ], right: []),
        c(
            "only the 2019 remix", Albums.abbeyRoad.ticket(),
            [
                abbey.release("The Beatles - Abbey Road (2019 Remix) [FLAC 24-96]", seeders: 50)
            ], right: [0]),
    ]

    static let weezer: [AccuracyCase] = [
        c(
            "the Blue Album, not the Green Album", Albums.weezerBlue.ticket(),
            [
                green.release("Weezer - Weezer (Green Album) (2001) [FLAC]", seeders: 44),
                blue.release("Weezer - Weezer (Blue Album) (1994) [FLAC]", seeders: 41),
            ], right: [1]),
        c(
            "the Green Album, not the Blue Album", Albums.weezerGreen.ticket(),
            [
                blue.release("Weezer - Weezer (Blue Album) (1994) [FLAC]", seeders: 41),
                green.release("Weezer - Weezer (Green Album) (2001) [FLAC]", seeders: 44),
            ], right: [1]),
        c(
            "self-titled twice and no year: the files decide", Albums.weezerGreen.ticket(),
            [
                blue.release("Weezer - Weezer [FLAC]", seeders: 80, root: "Weezer"),
                green.release("Weezer - Weezer [FLAC] (CD)", seeders: 12, root: "Weezer (CD)"),
            ], right: [1]),
        c(
            "only the other self-titled album", Albums.weezerBlue.ticket(),
            [
                green.release("Weezer - Weezer (2001) [FLAC]", seeders: 44)
            ], right: []),
    ]

    static let mezzanine: [AccuracyCase] = [
        c(
            "'Exchange' and '(Exchange)' are different tracks", Albums.mezzanine.ticket(),
            [
                mezz.release("Massive Attack - Mezzanine (1998) [FLAC]", seeders: 26)
            ], right: [0]),
        c(
            "a deluxe remaster and a 320 copy both hold the album", Albums.mezzanine.ticket(),
            [
                mezz.release(
                    "Massive Attack - Mezzanine (2019 Remastered Deluxe Edition) [FLAC]", seeders: 35, layout: .discFolders("CD%d"),
                    bonus: [("Angel (Mad Professor Remix)", 380), ("Teardrop (Mazzy Star Version)", 300)]),
                mezz.release("Massive Attack - Mezzanine (1998) [MP3 320]", seeders: 60, ext: "mp3", kbps: 320),
            ], right: [0, 1]),
        c(
            "a candidate without a file list next to one with", Albums.mezzanine.ticket(),
            [
                mezz.release("Massive Attack - Mezzanine (1998) [FLAC]", seeders: 90, listed: false),
                mezz.release("Massive Attack - Mezzanine [1998] [MP3 320]", seeders: 20, ext: "mp3", kbps: 320),
            ], right: [0, 1]),
        c(
            "a bootleg next to the album", Albums.mezzanine.ticket(),
            [
                mezz.release(
                    "Massive Attack - Mezzanine Live Bootleg (1998) [MP3 192]", seeders: 4, ext: "mp3", kbps: 192, bonus: live, stretch: 1.12),
                mezz.release("Massive Attack - Mezzanine (1998) [FLAC] {CD, EAC, Log}", seeders: 12, layout: .bare),
            ], right: [1]),
    ]

    static let sigurRos: [AccuracyCase] = [
        c(
            "Icelandic letters folded to ASCII", Albums.agaetis.ticket(),
            [
                sigur.release(
                    "Sigur Ros - Agaetis Byrjun (1999) [FLAC]", seeders: 15,
                    rename: [
                        2: "Staralfur", 4: "Ny batteri", 5: "Hjartad hamast (bamm bamm bamm)", 6: "Vidrar vel til loftarasa", 8: "Agaetis byrjun",
                    ])
            ], right: [0]),
        c(
            "the album next to its 20th-anniversary box", Albums.agaetis.ticket(),
            [
                sigur.release(
                    "Sigur Rós - Ágætis byrjun (20th Anniversary Edition) [FLAC]", seeders: 30, layout: .discFolders("CD%d"),
                    bonus: [("Rukrym", 420), ("Hjartað hamast (Live)", 480), ("Myrkur", 390), ("Ágætis byrjun (Demo)", 470)]),
                sigur.release("Sigur Rós - Ágætis byrjun (1999) [FLAC]", seeders: 11),
            ], right: [1]),
        c(
            "only another album of the band", Albums.agaetis.ticket(),
            [
                sigur.release(
                    "Sigur Rós - Von (1997) [FLAC]", seeders: 12, keep: [0],
                    bonus: [("Sigur Rós", 590), ("Dögun", 403), ("Hafssól", 744), ("Veröld ný og óð", 136), ("Myrkur", 386)])
            ], right: []),
    ]

    static let pulpFiction: [AccuracyCase] = [
        c(
            "a soundtrack next to its collector's edition", Albums.pulpFiction.ticket(),
            [
                pulp.release("VA - Pulp Fiction (Music from the Motion Picture) (1994) [FLAC]", seeders: 40),
                pulp.release(
                    "VA - Pulp Fiction (Collector's Edition) (2002) [FLAC]", seeders: 30,
                    bonus: [("Since I First Met You", 230), ("Rumble", 144), ("Strawberry Letter 23", 298)]),
            ], right: [0]),
        c(
            "a soundtrack with performers in the file names next to another soundtrack", Albums.pulpFiction.ticket(),
            [
                pulp.release(
                    "Various Artists - Jackie Brown OST (1997) [MP3 320]", seeders: 22, ext: "mp3", kbps: 320, keep: [],
                    bonus: [("Across 110th Street", 226), ("Strawberry Letter 23", 298), ("Natural High", 286), ("Street Life", 239)]),
                pulp.release(
                    "Various Artists - Pulp Fiction OST [MP3 320]", seeders: 35, layout: .dotted, ext: "mp3", kbps: 320,
                    rename: [0: "Dick Dale - Misirlou", 2: "Kool & The Gang - Jungle Boogie", 6: "Dusty Springfield - Son of a Preacher Man"]),
            ], right: [1]),
    ]
}
