/** Small embedded word lists from which song titles and artist names are composed, in the
 * style of the Million Song Dataset (MSD version suffixes, "feat." credits, a few accents). */

export const TITLE_ADJECTIVES: readonly string[] = [
  'Midnight', 'Broken', 'Golden', 'Silent', 'Electric', 'Lonely', 'Crazy', 'Sweet', 'Wild', 'Blue',
  'Black', 'Little', 'Last', 'Lost', 'Endless', 'Burning', 'Cold', 'Dark', 'Dirty', 'Falling', 'Free',
  'Happy', 'Holy', 'Hollow', 'Hungry', 'Lazy', 'Lucky', 'Magic', 'Naked', 'New', 'Old', 'Perfect',
  'Pretty', 'Quiet', 'Restless', 'Secret', 'Simple', 'Slow', 'Strange', 'Sunday', 'Tender', 'True',
  'Velvet', 'Wicked', 'Young', 'Rainy', 'Neon', 'Paper', 'Heavy', 'Bitter', 'Summer', 'Winter',
  'Crystal', 'Silver', 'Southern', 'Easy', 'Fading', 'Fragile', 'Synthetic', 'Spanish', 'Loaded',
];

export const TITLE_NOUNS: readonly string[] = [
  'Heart', 'Love', 'Night', 'Dream', 'Fire', 'Rain', 'Road', 'River', 'Sky', 'Star', 'Soul', 'Girl',
  'Boy', 'Baby', 'World', 'Town', 'City', 'Light', 'Shadow', 'Train', 'Highway', 'Morning', 'Moon',
  'Sun', 'Ocean', 'Rose', 'Angel', 'Devil', 'Blues', 'Dance', 'Song', 'Memory', 'Garden', 'Window',
  'Mirror', 'Stranger', 'Lover', 'Friend', 'Home', 'Time', 'Money', 'Thunder', 'Storm', 'Wind',
  'Wave', 'Kiss', 'Tears', 'Eyes', 'Door', 'Bridge', 'Mountain', 'Valley', 'Desert', 'Island',
  'Paradise', 'Heaven', 'Party', 'Radio', 'Machine', 'Diamond', 'Ghost', 'Circus', 'Letter',
  'Promise', 'Story', 'Fever', 'Rhythm', 'Groove', 'Jungle', 'Parade', 'Sister', 'Brother', 'Cowboy',
  'Sailor', 'Queen', 'King', 'Tide', 'Grease', 'Mojo', 'Assurance', 'Giant', 'Corazón', 'Café',
  'Mañana', 'Señorita', 'Noël', 'Fiesta', 'Amor', 'Coração',
];

export const TITLE_VERBS: readonly string[] = [
  'Hold', 'Take', 'Kiss', 'Leave', 'Love', 'Save', 'Call', 'Tell', 'Show', 'Give', 'Bring', 'Touch',
  'Free', 'Shake', 'Move', 'Burn', 'Run', 'Dance', 'Wait', 'Remember', 'Forgive', 'Follow',
];

/** MSD-style version suffixes: titles that differ only by these are different songs. */
export const TITLE_SUFFIXES: readonly string[] = [
  ' (Album Version)', ' (LP Version)', ' (Live)', ' (Remix)', ' (Radio Edit)', ' (Instrumental Version)',
  ' (Explicit Album Version)', ' (2005 Digital Remaster)', ' [Live At Royal Albert Hall]',
  ' (Original Mix)', ' (Acoustic)', ' (Demo)', ' (Skit)', ' (full-length/album version)',
  ' (Back 2 Basics Mix)', ' (Live @ Fillmore West)',
];

/** Plural nouns for band names ("The Box Tops"). */
export const BAND_NOUNS: readonly string[] = [
  'Tops', 'Boys', 'Brothers', 'Rockers', 'Kings', 'Rebels', 'Shadows', 'Wolves', 'Saints', 'Strangers',
  'Drifters', 'Ramblers', 'Angels', 'Lovers', 'Machines', 'Ghosts', 'Pilots', 'Hearts', 'Riders',
  'Monks', 'Sparrows', 'Horses', 'Tigers', 'Satellites', 'Crows', 'Dolls', 'Cats', 'Giants', 'Seeds',
  'Mystics', 'Soul Brothers', 'Heartbreakers', 'Bluebirds', 'Comets', 'Locomotives',
];

export const ARTIST_FIRST_NAMES: readonly string[] = [
  'Adam', 'Alice', 'Andy', 'Billie', 'Bob', 'Carlos', 'Chase', 'Danilo', 'David', 'Eddie', 'Elena',
  'Faye', 'Gwen', 'Jimmy', 'John', 'Kenny', 'King', 'Lionel', 'Lupe', 'Marc', 'Mike', 'Mitch', 'Nick',
  'Richard', 'Sophie', 'Steve', 'Sue', 'Terry', 'Tim', 'Tom', 'Wayne', 'Willie', 'Line', 'Jeff',
  'Sheri', 'Judith', 'Georg', 'Placido', 'Vicente', 'Nina', 'Otis', 'Etta', 'Ray', 'Aretha', 'Marvin',
  'José', 'Björn', 'Zoë', 'Sinéad', 'François', 'Chloé', 'Renée', 'Joël', 'Andrés', 'Ana',
];

export const ARTIST_LAST_NAMES: readonly string[] = [
  'Ant', 'Stuart', 'Andy', 'Azzam', 'Richie', 'Souther', 'Ali Faiz', 'Wakely', 'Watson', 'Easter',
  'Wilson', 'Bobo', 'Adams', 'Callier', 'Wesley', 'Spears', 'Jones', 'Martin', 'Davis', 'Ingman',
  'Wright', 'Calvert', 'Perez', 'Renaud', 'Curtis', 'Hawkins', 'Fiasco', 'Shaiman', 'Stefani',
  'Morse', 'Petty', 'Ryder', 'Thompson', 'Redding', 'James', 'Charles', 'Franklin', 'Gaye', 'Simone',
  'Gonzalez', 'Caballé', 'Domingo', 'Blegen', 'Solti', 'Moreau', 'Lindqvist', 'Núñez', 'Ferreira',
];

export const ARTIST_SINGLE_WORDS: readonly string[] = [
  'Casual', 'Gob', 'Clp', 'Tesla', 'lextrical', 'Elena', 'Trafik', 'Glad', 'Jinx', 'Wilks', 'Gloriana',
  'Blingtones', 'Tweeterfriendly Music', 'Rated R', 'JennyAnyKind', 'Sonora Santanera', 'Sierra Maestra',
  'Soul Mekanik', 'Bitter End', 'Steel Rain', '40 Grit', 'Planet P Project', 'Five Bolt Main',
  'Luna Orbit Project', 'Los Manolos', 'Bombay Rockers', 'Christos Dantis', 'Röyksopp', 'Múm', 'Sigur Rós',
];

export const ARTIST_PREFIXES: readonly string[] = ['DJ', 'MC', "Lil'", 'Big', 'Dr.', 'Sir'];

export const ENSEMBLE_SUFFIXES: readonly string[] = [
  'Trio', 'Quartet', 'Orchestra', 'Band', 'Brothers', 'Sisters', 'Experience', 'Project', 'Ensemble',
];

/** How a credited guest is written: the same artist id shows up under these variants. */
export const FEATURING_FORMS: readonly string[] = [' feat. ', ' featuring ', ' & ', ' / ', ' (Featuring '];

export interface Place {
  readonly location: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** Artist home places; MSD often has a location string without coordinates. */
export const ARTIST_PLACES: readonly Place[] = [
  { location: 'Memphis, TN', latitude: 35.14968, longitude: -90.04892 },
  { location: 'London, England', latitude: 51.50632, longitude: -0.12714 },
  { location: 'New York, NY', latitude: 40.71455, longitude: -74.00712 },
  { location: 'Chicago, IL', latitude: 41.88415, longitude: -87.63241 },
  { location: 'Los Angeles, CA', latitude: 34.05349, longitude: -118.24532 },
  { location: 'Toronto, Ontario, Canada', latitude: 43.64856, longitude: -79.38533 },
  { location: 'Nashville, TN', latitude: 36.16778, longitude: -86.77836 },
  { location: 'Detroit, MI', latitude: 42.33168, longitude: -83.04792 },
  { location: 'Atlanta, GA', latitude: 33.74831, longitude: -84.39111 },
  { location: 'Seattle, WA', latitude: 47.60356, longitude: -122.32944 },
  { location: 'Austin, TX', latitude: 30.26759, longitude: -97.74299 },
  { location: 'Houston, TX', latitude: 29.76045, longitude: -95.36978 },
  { location: 'Paris, France', latitude: 48.85692, longitude: 2.34121 },
  { location: 'Berlin, Germany', latitude: 52.51607, longitude: 13.37698 },
  { location: 'Stockholm, Sweden', latitude: 59.33217, longitude: 18.06243 },
  { location: 'Kingston, Jamaica', latitude: 17.99702, longitude: -76.79358 },
  { location: 'Sydney, Australia', latitude: -33.86963, longitude: 151.20695 },
  { location: 'Rio de Janeiro, Brazil', latitude: -22.97673, longitude: -43.19508 },
  { location: 'Montreal, Quebec, Canada', latitude: 45.51228, longitude: -73.55439 },
  { location: 'Dublin, Ireland', latitude: 53.34376, longitude: -6.24953 },
  { location: 'Manchester, England', latitude: 53.47962, longitude: -2.24881 },
  { location: 'Glasgow, Scotland', latitude: 55.85741, longitude: -4.24251 },
  { location: 'Reykjavík, Iceland', latitude: 64.13548, longitude: -21.89541 },
  { location: 'Mexico City, Mexico', latitude: 19.43261, longitude: -99.13321 },
  { location: 'Havana, Cuba', latitude: 23.13302, longitude: -82.38304 },
  { location: 'Tokyo, Japan', latitude: 35.68956, longitude: 139.69208 },
  { location: 'Boston, MA', latitude: 42.35888, longitude: -71.05682 },
  { location: 'Philadelphia, PA', latitude: 39.95227, longitude: -75.16237 },
  { location: 'New Orleans, LA', latitude: 29.95369, longitude: -90.07771 },
  { location: 'Miami, FL', latitude: 25.72898, longitude: -80.23741 },
  { location: 'San Francisco, CA', latitude: 37.77916, longitude: -122.42005 },
  { location: 'Orlando, FL', latitude: 28.53823, longitude: -81.37739 },
  { location: 'Queens, NY', latitude: 40.7038, longitude: -73.83168 },
  { location: 'Morris Plains, NJ', latitude: 40.82624, longitude: -74.47995 },
  { location: 'Fort Worth, TX', latitude: 32.74863, longitude: -97.32925 },
  { location: 'North Carolina', latitude: 35.21962, longitude: -80.01955 },
  { location: 'Pennsylvania', latitude: 40.99471, longitude: -77.60454 },
  { location: 'Utah', latitude: 39.49974, longitude: -111.54732 },
  { location: 'United States', latitude: 37.16793, longitude: -95.84502 },
  { location: 'Denmark', latitude: 56.27609, longitude: 9.51695 },
  { location: 'Panama', latitude: 8.4177, longitude: -80.11278 },
  { location: 'New York, NY [Spanish Harlem]', latitude: 40.79195, longitude: -73.94512 },
  { location: 'California - LA', latitude: null, longitude: null },
  { location: 'California - SF', latitude: 37.77916, longitude: -122.42005 },
  { location: 'Ohio', latitude: null, longitude: null },
  { location: 'Burlington, Ontario, Canada', latitude: null, longitude: null },
  { location: 'Wisner, LA', latitude: null, longitude: null },
  { location: 'Beverly Hills, CA', latitude: null, longitude: null },
  { location: 'Houston, TX', latitude: null, longitude: null },
  { location: 'Seattle, Washington USA', latitude: null, longitude: null },
  { location: 'Gainesville, FL', latitude: null, longitude: null },
  { location: 'Hamtramck, MI', latitude: null, longitude: null },
  { location: 'Hamilton, Ohio', latitude: null, longitude: null },
  { location: 'Nashville, TN.', latitude: null, longitude: null },
  { location: 'Zagreb Croatia', latitude: 45.80726, longitude: 15.9676 },
  { location: 'Noci (BA)', latitude: -13.442, longitude: -41.9952 },
  { location: 'Brooklyn', latitude: null, longitude: null },
  { location: 'UK', latitude: null, longitude: null },
];
