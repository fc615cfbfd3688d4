/// Release titles as indexers list them, with what the parser must read from each.
/// Keys are the JSON names of `ReleaseInfo`; fields not listed are not checked.
let releaseTitleTable: [(String, [String: any Sendable])] = [
    // Gazelle-style (RED/OPS): "Artist - Album (Year) [Format / Bitrate / Source / Log / Cue]"
    (
        "Radiohead - OK Computer (1997) [FLAC / Lossless / CD / Log (100%) / Cue]",
        [
            "artist": "Radiohead", "album": "OK Computer", "year": 1997, "format": "flac", "lossless": true, "source": "cd", "has_log": true,
            "has_cue": true, "style": "gazelle",
        ]
    ),
    ("Radiohead - Kid A (2000) [FLAC / 24bit Lossless / Vinyl]", ["album": "Kid A", "format": "flac", "bit_depth": 24, "source": "vinyl"]),
    ("Radiohead - In Rainbows (2007) [MP3 / 320 / WEB]", ["album": "In Rainbows", "format": "mp3", "bitrate": "320", "source": "web"]),
    ("Radiohead - Amnesiac (2001) [MP3 / V0 (VBR) / CD]", ["album": "Amnesiac", "bitrate": "V0", "source": "cd"]),
    ("Radiohead - Hail to the Thief (2003) [MP3 / V2 (VBR) / CD]", ["bitrate": "V2", "year": 2003]),
    ("Björk - Homogenic (1997) [FLAC / Lossless / CD / Log (99%) / Cue]", ["artist": "Björk", "album": "Homogenic", "has_log": true]),
    ("Portishead - Dummy (1994) [FLAC / 24bit Lossless / WEB]", ["artist": "Portishead", "bit_depth": 24, "source": "web"]),
    ("Massive Attack - Mezzanine (1998) [FLAC / Lossless / CD]", ["artist": "Massive Attack", "album": "Mezzanine", "year": 1998]),
    (
        "Boards of Canada - Music Has the Right to Children (1998) [FLAC / Lossless / WEB]",
        ["album": "Music Has the Right to Children", "source": "web"]
    ),
    (
        "Aphex Twin - Selected Ambient Works 85-92 (1992) [FLAC / Lossless / CD / Log (100%) / Cue]",
        ["artist": "Aphex Twin", "album": "Selected Ambient Works 85-92", "year": 1992]
    ),
    ("Daft Punk - Discovery (2001) [FLAC / Lossless / CD / Log (100%)]", ["artist": "Daft Punk", "album": "Discovery", "discography": false]),
    (
        "Kendrick Lamar - To Pimp a Butterfly (2015) [FLAC / 24bit Lossless / WEB]",
        ["artist": "Kendrick Lamar", "album": "To Pimp a Butterfly", "bit_depth": 24]
    ),
    ("Fleetwood Mac - Rumours (1977) [FLAC / 24bit Lossless / Vinyl]", ["source": "vinyl", "year": 1977]),
    (
        "The Beatles - Abbey Road (1969) [FLAC / Lossless / CD / Remaster]",
        ["artist": "The Beatles", "album": "Abbey Road", "editions": ["remaster"]]
    ),
    (
        "The Beatles - Abbey Road (2019) [FLAC / 24bit Lossless / WEB / 50th Anniversary Super Deluxe]",
        ["year": 2019, "editions": ["deluxe", "anniversary", "super deluxe"]]
    ),
    ("Nirvana - Nevermind (1991) [MP3 / 256 / WEB]", ["bitrate": "256", "format": "mp3"]),
    ("Miles Davis - Kind of Blue (1959) [FLAC / 24bit Lossless / SACD]", ["source": "sacd", "year": 1959]),
    ("John Coltrane - A Love Supreme (1965) [FLAC / Lossless / CD / Log (100%) / Cue]", ["artist": "John Coltrane", "album": "A Love Supreme"]),
    ("Joy Division - Unknown Pleasures (1979) [FLAC / Lossless / Cassette]", ["source": "cassette"]),
    ("Pink Floyd - The Dark Side of the Moon (1973) [FLAC / 24bit Lossless / Blu-Ray]", ["source": "bluray", "album": "The Dark Side of the Moon"]),
    (
        "Sufjan Stevens - Carrie & Lowell (2015) [AAC / 256 / WEB]",
        ["artist": "Sufjan Stevens", "album": "Carrie & Lowell", "format": "aac", "bitrate": "256"]
    ),
    ("Bon Iver - 22, A Million (2016) [FLAC / Lossless / WEB]", ["album": "22, A Million", "year": 2016]),
    ("Grimes - Art Angels (2015) [MP3 / 320 / WEB]", ["album": "Art Angels", "bitrate": "320"]),
    ("Burial - Untrue (2007) [FLAC / Lossless / CD / Log (100%) / Cue] {HDBCD013}", ["artist": "Burial", "album": "Untrue", "has_cue": true]),
    ("Various Artists - Late Night Tales (2010) [FLAC / Lossless / CD]", ["various_artists": true, "compilation": true]),
    ("LCD Soundsystem - Sound of Silver (2007) [FLAC / Lossless / WEB] (Deluxe Edition)", ["editions": ["deluxe"]]),
    ("Arcade Fire - Funeral (2004) [FLAC / Lossless / CD / Log (100%) / Cue / Scans]", ["scans": true, "has_cue": true]),
    ("Beach House - Bloom (2012) [MP3 / V0 (VBR) / WEB]", ["bitrate": "V0", "source": "web"]),
    ("Low - Things We Lost in the Fire (2001) [FLAC / Lossless / CD]", ["artist": "Low", "album": "Things We Lost in the Fire"]),
    ("Slowdive - Souvlaki (1993) [FLAC / Lossless / CD / Expanded]", ["editions": ["expanded"]]),
    ("Talk Talk - Spirit of Eden (1988) [FLAC / 24bit Lossless / Vinyl / 24-96]", ["bit_depth": 24, "sample_rate_hz": 96000, "source": "vinyl"]),
    ("Nick Drake - Pink Moon (1972) [FLAC / 24bit Lossless / WEB / 24-192]", ["sample_rate_hz": 192000]),
    ("Cocteau Twins - Heaven or Las Vegas (1990) [FLAC / Lossless / CD / Reissue]", ["editions": ["reissue"]]),
    ("Sigur Rós - Ágætis byrjun (1999) [FLAC / Lossless / CD]", ["artist": "Sigur Rós", "album": "Ágætis byrjun"]),
    ("Jay-Z - The Blueprint (2001) [FLAC / Lossless / CD]", ["artist": "Jay-Z", "album": "The Blueprint"]),
    ("AC/DC - Back in Black (1980) [FLAC / Lossless / CD / Remastered]", ["artist": "AC/DC", "editions": ["remastered"]]),
    ("Nine Inch Nails - The Fragile (1999) [FLAC / Lossless / CD / Log (100%) / Cue]", ["artist": "Nine Inch Nails", "album": "The Fragile"]),
    ("Bob Dylan - Live 1966 (1998) [FLAC / Lossless / CD]", ["live": true, "year": 1998]),
    ("Nirvana - MTV Unplugged in New York (1994) [FLAC / Lossless / CD]", ["live": true]),
    ("Arctic Monkeys - Fluorescent Adolescent (2007) [FLAC / Lossless / CD / Single]", ["single": true]),
    ("Burial - Kindred EP (2012) [FLAC / Lossless / WEB]", ["ep": true, "album": "Kindred EP"]),
    ("Radiohead - Live at Glastonbury (1997) [FLAC / Lossless / Bootleg]", ["bootleg": true, "live": true]),
    ("Tame Impala - Currents (2015) [Opus / WEB]", ["format": "opus"]),
    ("Tame Impala - Lonerism (2012) [Ogg Vorbis / q8 / WEB]", ["format": "ogg_vorbis", "bitrate": "Q8"]),
    ("Tom Waits - Rain Dogs (1985) [ALAC / Lossless / WEB]", ["format": "alac", "lossless": true]),
    ("King Crimson - Red (1974) [APE / Lossless / CD / Log / Cue]", ["format": "ape", "lossless": true, "has_log": true]),
    ("Can - Tago Mago (1971) [WavPack / Lossless / CD]", ["format": "wavpack", "lossless": true]),
    ("Kraftwerk - Computer World (1981) [DSD64 / SACD]", ["format": "dsd", "source": "sacd", "lossless": true]),
    ("Brian Eno - Ambient 1 Music for Airports (1978) [WAV / Lossless / CD]", ["format": "wav"]),
    ("Steely Dan - Aja (1977) [FLAC / 24bit Lossless / SACD / 88.2kHz]", ["sample_rate_hz": 88200]),
    ("Donald Fagen - The Nightfly (1982) [FLAC / 24bit Lossless / 176.4kHz]", ["sample_rate_hz": 176400]),
    ("Dire Straits - Brothers in Arms (1985) [FLAC / 16bit Lossless / 44.1kHz / CD]", ["bit_depth": 16, "sample_rate_hz": 44100]),
    ("Eagles - Hotel California (1976) [FLAC / 24bit / 48kHz / WEB]", ["bit_depth": 24, "sample_rate_hz": 48000]),
    // Plain tracker titles
    (
        "Radiohead - OK Computer (1997) [FLAC]",
        ["artist": "Radiohead", "album": "OK Computer", "year": 1997, "format": "flac", "lossless": true, "style": "plain"]
    ),
    ("Radiohead - OK Computer OKNOTOK 1997 2017 (2017) [FLAC] [24-96]", ["album": "OK Computer OKNOTOK 1997 2017", "year": 2017, "bit_depth": 24]),
    ("Muse - Absolution (2003) [MP3 V0]", ["bitrate": "V0", "format": "mp3"]),
    ("Muse - Origin of Symmetry 2001 FLAC", ["album": "Origin of Symmetry", "year": 2001, "format": "flac"]),
    ("Muse - Showbiz (1999) MP3 320kbps", ["album": "Showbiz", "bitrate": "320", "format": "mp3"]),
    ("Coldplay - Parachutes (2000) [MP3 320 kbps]", ["bitrate": "320"]),
    ("Coldplay - A Rush of Blood to the Head (2002) [MP3 @ 192kbps]", ["bitrate": "192"]),
    ("Adele - 21 (2011) [FLAC]", ["artist": "Adele", "album": "21", "year": 2011]),
    ("Adele - 25 (2015) (Deluxe Edition) [FLAC 24bit 44.1kHz]", ["album": "25", "editions": ["deluxe"], "bit_depth": 24, "sample_rate_hz": 44100]),
    ("Taylor Swift - 1989 (2014) [FLAC]", ["album": "1989", "year": 2014]),
    ("Blur - 13 (1999) [FLAC]", ["album": "13", "year": 1999]),
    ("Prince - 1999 (1982) [FLAC]", ["album": "1999", "year": 1982]),
    ("The xx - xx (2009) [FLAC]", ["artist": "The xx", "album": "xx"]),
    ("Queen - Greatest Hits (1981) [FLAC]", ["compilation": true]),
    ("Depeche Mode - The Best of Depeche Mode Volume 1 (2006) [MP3 320]", ["compilation": true, "bitrate": "320"]),
    ("David Bowie - Blackstar (2016) [FLAC 24-96]", ["bit_depth": 24, "sample_rate_hz": 96000]),
    ("David Bowie - Discography (1967-2016) [FLAC]", ["discography": true, "artist": "David Bowie"]),
    ("Metallica - Discography 1983-2016 [MP3 320]", ["discography": true, "bitrate": "320"]),
    ("Led Zeppelin - Complete Studio Albums (2014) [FLAC]", ["discography": true]),
    ("Genesis - Box Set 1970-1975 (2008) [FLAC]", ["discography": true]),
    ("The Smiths - The Complete Collection (2011) [FLAC]", ["discography": true]),
    (
        "VA - Now That's What I Call Music! 100 (2018) MP3 320kbps",
        ["artist": "Various Artists", "album": "Now That's What I Call Music! 100", "various_artists": true, "compilation": true, "bitrate": "320"]
    ),
    ("VA - Café del Mar Volumen Uno (1994) [FLAC]", ["various_artists": true, "album": "Café del Mar Volumen Uno"]),
    ("Various Artists - Pulp Fiction Soundtrack (1994) [MP3 V0]", ["various_artists": true, "bitrate": "V0"]),
    ("Eminem - The Marshall Mathers LP (2000) [FLAC]", ["album": "The Marshall Mathers LP"]),
    ("Linkin Park - Hybrid Theory (20th Anniversary Edition) (2020) [FLAC]", ["editions": ["anniversary"], "year": 2020]),
    ("Oasis - (What's the Story) Morning Glory? (1995) [FLAC]", ["artist": "Oasis", "year": 1995]),
    ("R.E.M. - Automatic for the People (1992) [FLAC]", ["artist": "R.E.M.", "album": "Automatic for the People"]),
    ("Sade - Diamond Life (1984) [FLAC] [Vinyl Rip]", ["source": "vinyl"]),
    ("Portishead - Roseland NYC Live (1998) [FLAC]", ["live": true]),
    ("The Cure - Disintegration (1989) [FLAC] {Deluxe Edition 2010 Remaster}", ["editions": ["deluxe", "remaster"]]),
    ("Moby - Play (1999) [FLAC] (image+cue)", ["image_cue": true, "has_cue": true]),
    ("Enya - Watermark (1988) [APE] [image + .cue]", ["format": "ape", "image_cue": true]),
    ("Vangelis - Blade Runner (1994) [FLAC] [tracks + .cue + log]", ["has_cue": true, "has_log": true, "image_cue": false]),
    ("Massive Attack - Protection (1994) [FLAC] [Scans]", ["scans": true]),
    ("Mazzy Star - So Tonight That I Might See (1993) [FLAC] [Artwork]", ["scans": true]),
    ("Beyoncé - Lemonade (2016) [AAC 256 iTunes]", ["format": "aac", "source": "web", "bitrate": "256"]),
    ("Frank Ocean - Blonde (2016) [WEB FLAC]", ["source": "web", "format": "flac"]),
    ("Billie Eilish - Happier Than Ever (2021) [24Bit-48kHz] FLAC", ["bit_depth": 24, "sample_rate_hz": 48000, "format": "flac"]),
    ("The Weeknd - After Hours (2020) [Hi-Res 24-44.1] FLAC", ["bit_depth": 24, "sample_rate_hz": 44100]),
    ("Gorillaz - Demon Days (2005) [CD-Rip] [FLAC]", ["source": "cd"]),
    ("Oasis - Definitely Maybe (1994) [2CD] [FLAC] [Deluxe]", ["source": "cd", "editions": ["deluxe"]]),
    ("Pearl Jam - Ten (1991) [Remastered 2009] [FLAC]", ["editions": ["remastered"]]),
    ("Rammstein - Mutter (2001) [MP3 CBR 320kbps]", ["bitrate": "320"]),
    ("Nightwish - Once (2004) [Lame V2]", ["format": "mp3", "bitrate": "V2"]),
    ("Björk - Vespertine (2001) [Opus 160kbps]", ["format": "opus", "bitrate": "160"]),
    ("Air - Moon Safari (1998) [Ogg Vorbis Q10]", ["format": "ogg_vorbis", "bitrate": "Q10"]),
    ("Air - Talkie Walkie (2004) [M4A 256k]", ["format": "aac", "bitrate": "256"]),
    ("Toto - IV (1982) [SACD ISO] [DSD]", ["source": "sacd", "format": "dsd"]),
    ("Yes - Fragile (1971) [DSF 128]", ["format": "dsd"]),
    ("Norah Jones - Come Away with Me (2002) [24-192 FLAC]", ["sample_rate_hz": 192000, "bit_depth": 24]),
    ("Metallica - S&M (1999) [Live] [FLAC]", ["live": true, "artist": "Metallica", "album": "S&M"]),
    ("U2 - Achtung Baby (1991) [FLAC] [Super Deluxe Edition]", ["editions": ["deluxe", "super deluxe"]]),
    ("Slayer - Reign in Blood (1986) [FLAC] (Cassette Rip)", ["source": "cassette"]),
    ("Burzum - Filosofem (1996) [FLAC] [LP]", ["source": "vinyl"]),
    ("Phish - Live at Madison Square Garden (Bootleg) (1997) [MP3 V0]", ["bootleg": true, "live": true]),
    ("Sia - Chandelier (2014) [Single] [FLAC]", ["single": true, "ep": false]),
    ("Four Tet - Morning/Evening EP (2015) [FLAC]", ["ep": true]),
    ("Foo Fighters - Wasting Light (2011) [FLAC] [Blu-ray Audio]", ["source": "bluray"]),
    // ruTracker-style: "(Genre) [Source] Artist - Album - Year, Format (tracks/image + .cue), lossless"
    (
        "(Rock) [CD] Radiohead - OK Computer - 1997, FLAC (tracks + .cue), lossless",
        [
            "artist": "Radiohead", "album": "OK Computer", "year": 1997, "format": "flac", "source": "cd", "has_cue": true, "image_cue": false,
            "lossless": true, "style": "rutracker",
        ]
    ),
    (
        "(Progressive Rock) [LP] [24/96] Yes - Close to the Edge - 1972, FLAC (image+.cue)",
        ["artist": "Yes", "album": "Close to the Edge", "source": "vinyl", "bit_depth": 24, "sample_rate_hz": 96000, "image_cue": true]
    ),
    (
        "(Jazz) [CD] Miles Davis - Bitches Brew - 1970, APE (image+.cue), lossless",
        ["format": "ape", "image_cue": true, "lossless": true, "year": 1970]
    ),
    ("(Electronic) [WEB] Boards of Canada - Tomorrow's Harvest - 2013, FLAC (tracks), lossless", ["source": "web", "album": "Tomorrow's Harvest"]),
    ("(Pop) Madonna - Ray of Light - 1998, MP3, 320 kbps", ["format": "mp3", "bitrate": "320", "year": 1998, "style": "rutracker"]),
    ("(Metal) [CD] Metallica - Master of Puppets - 1986, FLAC (image+.cue), lossless [Remastered]", ["image_cue": true, "editions": ["remastered"]]),
    ("(Classical) [SACD] Herbert von Karajan - Beethoven Symphonies - 1963, DSD (SACD-R)", ["source": "sacd", "format": "dsd"]),
    ("(Rock) [CD] Led Zeppelin - Discography - 1969-2007, FLAC (image+.cue), lossless", ["discography": true, "year": 1969, "image_cue": true]),
    ("(Indie Rock) [WEB] Arcade Fire - WE - 2022, FLAC (tracks), 24 bit/96 kHz", ["bit_depth": 24, "sample_rate_hz": 96000, "year": 2022]),
    ("(Soundtrack) VA - Drive (Original Motion Picture Soundtrack) - 2011, MP3, 320 kbps", ["various_artists": true, "bitrate": "320"]),
    ("(Post-Rock) [CD] Mogwai - Young Team - 1997, WavPack (image+.cue), lossless", ["format": "wavpack", "image_cue": true]),
    ("(Folk) [Vinyl] Nick Drake - Bryter Layter - 1971, FLAC (tracks), 24 bit/192 kHz", ["source": "vinyl", "sample_rate_hz": 192000]),
    ("(Rap) [CD] Outkast - Aquemini - 1998, FLAC (tracks+.cue), lossless", ["has_cue": true, "image_cue": false]),
    ("(Ambient) [WEB] Brian Eno - Reflection - 2017, ALAC (tracks), lossless", ["format": "alac"]),
    ("(Rock) [CD] Queen - Live Killers - 1979, APE (image+.cue), lossless", ["live": true, "image_cue": true]),
    ("(Blues) [CD] B.B. King - Live at the Regal - 1965, FLAC (image+.cue), lossless", ["artist": "B.B. King", "live": true]),
    ("(Russian Rock) [CD] Кино - Группа крови - 1988, FLAC (image+.cue), lossless", ["artist": "Кино", "album": "Группа крови", "year": 1988]),
    ("(Shoegaze) [CD] My Bloody Valentine - Loveless - 1991, FLAC (tracks+.cue) lossless [Deluxe Edition]", ["editions": ["deluxe"]]),
    ("(Rock) Сборник - Русский рок - 2005, MP3, 192 kbps", ["compilation": true, "bitrate": "192"]),
    (
        "(Jazz) [CD] Bill Evans Trio - Sunday at the Village Vanguard - 1961, FLAC (image+.cue), lossless [Remaster]",
        ["album": "Sunday at the Village Vanguard", "live": false]
    ),
    // Scene names
    (
        "Radiohead-OK_Computer-CD-FLAC-1997-GRP",
        ["artist": "Radiohead", "album": "OK Computer", "year": 1997, "format": "flac", "source": "cd", "scene_group": "GRP", "style": "scene"]
    ),
    (
        "Daft_Punk_-_Random_Access_Memories-(88883716862)-WEB-2013-OMA",
        ["artist": "Daft Punk", "album": "Random Access Memories", "year": 2013, "source": "web", "scene_group": "OMA"]
    ),
    ("Kendrick_Lamar-DAMN-WEB-2017-ENRAGED", ["artist": "Kendrick Lamar", "album": "DAMN", "scene_group": "ENRAGED", "source": "web"]),
    ("Metallica-Hardwired_To_Self-Destruct-2CD-2016-SDR", ["album": "Hardwired To Self-Destruct", "source": "cd", "year": 2016]),
    ("Drake-Scorpion-WEB-2018-PMEDIA", ["artist": "Drake", "album": "Scorpion", "scene_group": "PMEDIA"]),
    ("Aphex_Twin-Syro-(WARPCD247)-CD-FLAC-2014-PERFECT", ["artist": "Aphex Twin", "album": "Syro", "format": "flac", "scene_group": "PERFECT"]),
    ("Burial-Untrue-2007-FTD", ["artist": "Burial", "album": "Untrue", "year": 2007, "scene_group": "FTD"]),
    ("Moderat-III-WEB-2016-FURY", ["album": "III", "source": "web"]),
    ("Tool-Fear_Inoculum-WEB-2019-ENRAGED", ["album": "Fear Inoculum", "year": 2019]),
    ("VA-Ministry_Of_Sound_Annual_2015-3CD-2014-MOS", ["artist": "Various Artists", "various_artists": true, "source": "cd"]),
    ("Deadmau5-W_2016Album-WEB-2016-UKHx", ["artist": "Deadmau5", "album": "W 2016Album"]),
    ("Pink_Floyd-The_Wall-Remastered-2CD-2011-C4", ["album": "The Wall", "editions": ["remastered"]]),
    ("Skrillex-Recess-Retail-CD-2014-NBFLAC", ["album": "Recess", "scene_group": "NBFLAC"]),
    ("Four_Tet-New_Energy-Vinyl-2017-GRP", ["source": "vinyl", "year": 2017]),
    ("Boards_Of_Canada-Geogaddi-Vinyl-FLAC-2002-FATHEAD", ["format": "flac", "source": "vinyl"]),
    ("Jon_Hopkins-Singularity-WEB-FLAC-2018-PERFECT", ["format": "flac", "source": "web", "year": 2018]),
    ("Bicep-Isles-(NINJA123)-WEB-2021-BPM", ["album": "Isles", "year": 2021]),
    ("Adele-30-Deluxe_Edition-WEB-2021-PMEDIA", ["album": "30", "source": "web", "editions": ["deluxe"]]),
    ("Coldplay-Viva_La_Vida-Live-2008-GRP", ["live": true]),
    ("Orbital-Orbital_2-Bootleg-1993-GRP", ["bootleg": true, "album": "Orbital 2"]),
    ("Caribou-Sun-Single-WEB-2011-GRP", ["single": true, "album": "Sun"]),
    ("Burial-Rival_Dealer-EP-WEB-2013-GRP", ["ep": true, "album": "Rival Dealer"]),
    ("Massive_Attack-Heligoland-320-2010-GRP", ["bitrate": "320", "album": "Heligoland"]),
    ("Nine_Inch_Nails-Hesitation_Marks-V0-2013-GRP", ["bitrate": "V0"]),
    // No separator: a performer known from the charts ends where the album begins; a name that is also a
    // common word ("Chicago"), an unknown name, or a name joined to another ("vs") is not split off.
    ("Phil Collins No Jacket Required 1985 FLAC", ["artist": "Phil Collins", "album": "No Jacket Required", "year": 1985]),
    ("Beyoncé Renaissance 2022 FLAC 24bit", ["artist": "Beyoncé", "album": "Renaissance", "bit_depth": 24]),
    ("Chicago Blues Festival 2018 MP3", ["album": "Chicago Blues Festival", "year": 2018]),
    ("Nobody Knows This Band Quiet Songs 2019 FLAC", ["album": "Nobody Knows This Band Quiet Songs"]),
    ("Run DMC vs Jason Nevins It's Like That 1997 MP3", ["album": "Run DMC vs Jason Nevins It's Like That"]),
    ("Phil Collins Not A Known Shape (The Remixes) 1990", ["artist": "Phil Collins", "album": "Not A Known Shape (The Remixes)"]),
    // A wide gap where a " - " was lost.
    ("Obscure Band   Quiet Album (2019) FLAC", ["artist": "Obscure Band", "album": "Quiet Album", "year": 2019]),
    // ruTracker soundtracks name the composer in "(by …)"; the album is the name after the slash.
    (
        "Чужой / Alien (Original Motion Picture Soundtrack) (by Jerry Goldsmith) - 2007 (1979), FLAC (tracks+.cue), lossless",
        ["artist": "Jerry Goldsmith", "album": "Alien (Original Motion Picture Soundtrack)", "year": 1979, "format": "flac"]
    ),
    // Several albums, each with its year: a discography.
    ("Some Singer - First Record (1971), Second Record (1973), MP3, 320 kbps", ["artist": "Some Singer", "discography": true, "year": 1971]),
    // A scene label before the artist, named by its catalogue number's prefix; a series the catalogue number abbreviates.
    ("Hosp-Artist_Name-Album_Name-HOSP123-2001-GRP", ["artist": "Artist Name", "album": "Album Name", "year": 2001]),
    ("Someone-Other-Deep_Tunes_012-(DT012)-WEB-2020-GRP", ["artist": "Someone-Other", "album": "Deep Tunes 012"]),
    // A Chinese "best of" named after the singer.
    ("王菲精选集 [FLAC]", ["artist": "王菲", "album": "王菲精选集", "format": "flac"]),
]
