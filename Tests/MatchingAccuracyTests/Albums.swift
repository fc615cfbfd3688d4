import Tickets

/// The catalog side of the accuracy cases: albums as the catalog server knows them.
struct CatalogAlbum {
    let artist: String
    let title: String
    let year: Int
    /// Per disc: (track name, duration in seconds).
    let discs: [[(String, Double)]]

    var tracks: [(disc: Int, number: Int, name: String, secs: Double)] {
        discs.enumerated().flatMap { disc in disc.element.enumerated().map { (disc.offset + 1, $0.offset + 1, $0.element.0, $0.element.1) } }
    }

    static func trackId(disc: Int, number: Int) -> String { "d\(disc)t\(number)" }

    /// The ticket the catalog would send for this album.
    func ticket(format: AudioFormat = .oggVorbis, kbps: Int? = 320, durations: Bool = true) -> Ticket {
        Ticket(
            ticketId: "acc", search: TicketSearch(artist: artist, album: title, year: year),
            tracks: tracks.map {
                TicketTrack(
                    catalogTrackId: Self.trackId(disc: $0.disc, number: $0.number), discNumber: $0.disc, trackNumber: $0.number,
                    name: $0.name, durationSecs: durations ? $0.secs : nil, destPath: "/music/\($0.disc)-\($0.number).\(format.fileExtension)")
            },
            constraints: TicketConstraints(format: format, bitrateKbps: format.isLossless ? nil : kbps))
    }
}

/// "m:ss" → seconds.
private func t(_ text: String) -> Double {
    let parts = text.split(separator: ":").compactMap { Double($0) }
    return parts.count == 2 ? parts[0] * 60 + parts[1] : parts.first ?? 0
}

private func disc(_ rows: [(String, String)]) -> [(String, Double)] { rows.map { ($0.0, t($0.1)) } }

enum Albums {
    static let okComputer = CatalogAlbum(
        artist: "Radiohead", title: "OK Computer", year: 1997,
        discs: [
            disc([
                ("Airbag", "4:44"), ("Paranoid Android", "6:23"), ("Subterranean Homesick Alien", "4:27"), ("Exit Music (For a Film)", "4:24"),
                ("Let Down", "4:59"), ("Karma Police", "4:21"), ("Fitter Happier", "1:57"), ("Electioneering", "3:50"),
                ("Climbing Up the Walls", "4:45"), ("No Surprises", "3:48"), ("Lucky", "4:19"), ("The Tourist", "5:24"),
            ])
        ])

    static let theWall = CatalogAlbum(
        artist: "Pink Floyd", title: "The Wall", year: 1979,
        discs: [
            disc([
                ("In the Flesh?", "3:20"), ("The Thin Ice", "2:30"), ("Another Brick in the Wall, Part 1", "3:11"),
                ("The Happiest Days of Our Lives", "1:46"), ("Another Brick in the Wall, Part 2", "3:59"), ("Mother", "5:32"),
                ("Goodbye Blue Sky", "2:45"), ("Empty Spaces", "2:10"), ("Young Lust", "3:25"), ("One of My Turns", "3:41"),
                ("Don't Leave Me Now", "4:08"), ("Another Brick in the Wall, Part 3", "1:18"), ("Goodbye Cruel World", "0:48"),
            ]),
            disc([
                ("Hey You", "4:40"), ("Is There Anybody Out There?", "2:44"), ("Nobody Home", "3:26"), ("Vera", "1:35"),
                ("Bring the Boys Back Home", "1:21"), ("Comfortably Numb", "6:23"), ("The Show Must Go On", "1:36"), ("In the Flesh", "4:15"),
                ("Run Like Hell", "4:20"), ("Waiting for the Worms", "4:04"), ("Stop", "0:30"), ("The Trial", "5:13"), ("Outside the Wall", "1:41"),
            ]),
        ])

    static let discovery = CatalogAlbum(
        artist: "Daft Punk", title: "Discovery", year: 2001,
        discs: [
            disc([
                ("One More Time", "5:20"), ("Aerodynamic", "3:27"), ("Digital Love", "4:58"), ("Harder, Better, Faster, Stronger", "3:44"),
                ("Crescendolls", "3:31"), ("Nightvision", "1:44"), ("Superheroes", "3:57"), ("High Life", "3:22"), ("Something About Us", "3:51"),
                ("Voyager", "3:47"), ("Veridis Quo", "5:44"), ("Short Circuit", "3:26"), ("Face to Face", "4:00"), ("Too Long", "10:00"),
            ])
        ])

    /// Electric Light Orchestra's "Discovery": same album title, another artist.
    static let eloDiscovery = CatalogAlbum(
        artist: "Electric Light Orchestra", title: "Discovery", year: 1979,
        discs: [
            disc([
                ("Shine a Little Love", "4:40"), ("Confusion", "3:41"), ("Need Her Love", "5:12"), ("The Diary of Horace Wimp", "4:17"),
                ("Last Train to London", "4:31"), ("Midnight Blue", "4:18"), ("On the Run", "3:55"), ("Wishing", "4:12"),
                ("Don't Bring Me Down", "4:03"),
            ])
        ])

    static let nevermind = CatalogAlbum(
        artist: "Nirvana", title: "Nevermind", year: 1991,
        discs: [
            disc([
                ("Smells Like Teen Spirit", "5:01"), ("In Bloom", "4:14"), ("Come as You Are", "3:39"), ("Breed", "3:03"), ("Lithium", "4:17"),
                ("Polly", "2:57"), ("Territorial Pissings", "2:22"), ("Drain You", "3:43"), ("Lounge Act", "2:36"), ("Stay Away", "3:32"),
                ("On a Plain", "3:16"), ("Something in the Way", "3:52"),
            ])
        ])

    static let homogenic = CatalogAlbum(
        artist: "Björk", title: "Homogenic", year: 1997,
        discs: [
            disc([
                ("Hunter", "4:15"), ("Jóga", "5:05"), ("Unravel", "3:21"), ("Bachelorette", "5:16"), ("All Neon Like", "5:53"), ("5 Years", "4:29"),
                ("Immature", "3:06"), ("Alarm Call", "4:19"), ("Pluto", "3:19"), ("All Is Full of Love", "4:33"),
            ])
        ])

    static let gruppaKrovi = CatalogAlbum(
        artist: "Кино", title: "Группа крови", year: 1988,
        discs: [
            disc([
                ("Группа крови", "4:45"), ("Закрой за мной дверь, я ухожу", "4:16"), ("Война", "4:04"), ("Спокойная ночь", "6:07"),
                ("Мама, мы все тяжело больны", "4:01"), ("Бошетунмай", "3:43"), ("Попробуй спеть вместе со мной", "3:49"),
                ("Невесёлая песня", "3:39"), ("Дети минут", "3:05"), ("Легенда", "4:05"), ("Прохожий", "3:38"),
            ])
        ])

    static let firstLove = CatalogAlbum(
        artist: "宇多田ヒカル", title: "First Love", year: 1999,
        discs: [
            disc([
                ("Automatic -Part II-", "1:24"), ("Movin' on without you", "4:40"), ("In My Room", "4:16"), ("First Love", "4:17"),
                ("甘いワナ 〜Paint It, Black", "4:32"), ("time will tell", "5:17"), ("Never Let Go", "4:30"), ("B&C", "4:53"),
                ("Another Chance", "5:20"), ("Interlude", "0:31"), ("Give Me a Reason", "3:52"), ("Automatic", "5:29"),
            ])
        ])

    static let rumours = CatalogAlbum(
        artist: "Fleetwood Mac", title: "Rumours", year: 1977,
        discs: [
            disc([
                ("Second Hand News", "2:43"), ("Dreams", "4:14"), ("Never Going Back Again", "2:02"), ("Don't Stop", "3:11"),
                ("Go Your Own Way", "3:38"), ("Songbird", "3:20"), ("The Chain", "4:28"), ("You Make Loving Fun", "3:31"),
                ("I Don't Want to Know", "3:11"), ("Oh Daddy", "3:54"), ("Gold Dust Woman", "4:51"),
            ])
        ])

    static let kindOfBlue = CatalogAlbum(
        artist: "Miles Davis", title: "Kind of Blue", year: 1959,
        discs: [
            disc([
                ("So What", "9:22"), ("Freddie Freeloader", "9:46"), ("Blue in Green", "5:37"), ("All Blues", "11:33"), ("Flamenco Sketches", "9:26"),
            ])
        ])

    static let abbeyRoad = CatalogAlbum(
        artist: "The Beatles", title: "Abbey Road", year: 1969,
        discs: [
            disc([
                ("Come Together", "4:20"), ("Something", "3:03"), ("Maxwell's Silver Hammer", "3:27"), ("Oh! Darling", "3:27"),
                ("Octopus's Garden", "2:51"), ("I Want You (She's So Heavy)", "7:47"), ("Here Comes the Sun", "3:05"), ("Because", "2:45"),
                ("You Never Give Me Your Money", "4:02"), ("Sun King", "2:26"), ("Mean Mr. Mustard", "1:06"), ("Polythene Pam", "1:12"),
                ("She Came In Through the Bathroom Window", "1:57"), ("Golden Slumbers", "1:31"), ("Carry That Weight", "1:36"), ("The End", "2:05"),
                ("Her Majesty", "0:23"),
            ])
        ])

    /// The Blue Album and the Green Album: one artist, one title, two records.
    static let weezerBlue = CatalogAlbum(
        artist: "Weezer", title: "Weezer", year: 1994,
        discs: [
            disc([
                ("My Name Is Jonas", "3:24"), ("No One Else", "3:14"), ("The World Has Turned and Left Me Here", "4:19"), ("Buddy Holly", "2:39"),
                ("Undone – The Sweater Song", "5:05"), ("Surf Wax America", "3:06"), ("Say It Ain't So", "4:18"), ("In the Garage", "3:55"),
                ("Holiday", "3:26"), ("Only in Dreams", "7:59"),
            ])
        ])

    static let weezerGreen = CatalogAlbum(
        artist: "Weezer", title: "Weezer", year: 2001,
        discs: [
            disc([
                ("Don't Let Go", "2:59"), ("Photograph", "2:19"), ("Hash Pipe", "3:06"), ("Island in the Sun", "3:20"), ("Crab", "2:34"),
                ("Knock-Down Drag-Out", "2:08"), ("Smile", "2:38"), ("Simple Pages", "2:56"), ("Glorious Day", "2:40"), ("O Girlfriend", "3:49"),
            ])
        ])

    static let mezzanine = CatalogAlbum(
        artist: "Massive Attack", title: "Mezzanine", year: 1998,
        discs: [
            disc([
                ("Angel", "6:18"), ("Risingson", "4:58"), ("Teardrop", "5:29"), ("Inertia Creeps", "5:56"), ("Exchange", "4:11"),
                ("Dissolved Girl", "6:06"), ("Man Next Door", "5:55"), ("Black Milk", "6:20"), ("Mezzanine", "5:54"), ("Group Four", "8:13"),
                ("(Exchange)", "4:08"),
            ])
        ])

    static let agaetis = CatalogAlbum(
        artist: "Sigur Rós", title: "Ágætis byrjun", year: 1999,
        discs: [
            disc([
                ("Intro", "1:36"), ("Svefn-g-englar", "10:04"), ("Starálfur", "6:47"), ("Flugufrelsarinn", "7:47"), ("Ný batterí", "8:11"),
                ("Hjartað hamast (bamm bamm bamm)", "7:10"), ("Viðrar vel til loftárása", "10:17"), ("Olsen Olsen", "8:03"),
                ("Ágætis byrjun", "7:56"), ("Avalon", "4:00"),
            ])
        ])

    static let pulpFiction = CatalogAlbum(
        artist: "Various Artists", title: "Pulp Fiction (Music from the Motion Picture)", year: 1994,
        discs: [
            disc([
                ("Pumpkin and Honey Bunny / Misirlou", "2:27"), ("Royale with Cheese", "1:42"), ("Jungle Boogie", "3:05"),
                ("Let's Stay Together", "3:15"), ("Bustin' Surfboards", "2:25"), ("Lonesome Town", "2:13"), ("Son of a Preacher Man", "2:27"),
                ("Zed's Dead, Baby / Bullwinkle Part II", "2:40"), ("Jack Rabbit Slims Twist Contest / You Never Can Tell", "3:14"),
                ("Girl, You'll Be a Woman Soon", "3:09"), ("If Love Is a Red Dress (Hang Me in Rags)", "4:52"),
                ("Bring Out the Gimp / Comanche", "2:09"),
                ("Flowers on the Wall", "2:23"), ("Personality Goes a Long Way", "1:00"), ("Surf Rider", "3:18"), ("Ezekiel 25:17", "0:51"),
            ])
        ])
}
