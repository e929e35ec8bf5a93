/** Small embedded lists for app users: names, metro-area locations and browser user agents
 * in the shapes the real logs use. */

export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Kaylee', 'Lily', 'Jacqueline', 'Chloe', 'Tegan', 'Kate', 'Aleena', 'Ava',
  'Layla', 'Katherine', 'Anabelle', 'Madison', 'Sara', 'Jordyn', 'Stefany', 'Brooklyn',
  'Celeste', 'Harper', 'Hannah', 'Emily', 'Amiya', 'Mikayla', 'Ayla', 'Jaleah', 'Lucero', 'Morgan',
  'Cecilia', 'Molly', 'Isabella', 'Zoe', 'Kinsley', 'Sienna', 'Paige', 'Naomi', 'Leah',
  'Renee', 'Aubrey', 'Alivia', 'Ruby', 'Julia', 'Noelle', 'Elena', 'Vivian', 'Gianna', 'Piper',
];

export const MALE_FIRST_NAMES: readonly string[] = [
  'Walter', 'Ryan', 'Sean', 'Tucker', 'Wyatt', 'Kevin', 'Aiden', 'Samuel', 'Matthew', 'Jordan',
  'Lucas', 'Dustin', 'Connar', 'Benjamin', 'Mason', 'Austin', 'Colm',
  'Mathew', 'Jack', 'Carter', 'Evan', 'Liam', 'Elijah', 'Owen', 'Isaac', 'Gavin', 'Landon', 'Caleb',
  'Julian', 'Xavier', 'Miles', 'Brody', 'Declan', 'Rowan', 'Emmett', 'Silas', 'Tristan', 'Jude',
];

export const LAST_NAMES: readonly string[] = [
  'Frye', 'Summers', 'Koch', 'Lynch', 'Cuevas', 'Levine', 'Garrison', 'Smith', 'Jones', 'Williams',
  'Raymond', 'Mcdonald', 'Santos', 'Fischer', 'Hoffman', 'Harrell', 'Martinez', 'Cruz', 'Parker',
  'Arellano', 'Johnson', 'Griffin', 'Morales', 'Gonzalez', 'Lee', 'Herring', 'Cook', 'Miller',
  'Roth', 'Ellis', 'Jenkins', 'Bowman', 'Hays', 'Powell', 'Duffy', 'Chang', 'Sanchez', 'Nicholson',
  'Mendoza', 'Horne', 'Moore', 'Ray', 'Washington', 'Robinson', 'Kelly', 'Kirby', 'Hogan', 'Moody',
  'Owens', 'Patel', 'Singh', 'Nguyen', 'Rivera', 'Brady', 'Hartman', 'Abbott', 'Burke', 'Stone',
];

/** Census metro-area names, the style of the real `location` field. Earlier entries are more common. */
export const LISTENER_LOCATIONS: readonly string[] = [
  'San Francisco-Oakland-Hayward, CA',
  'Portland-South Portland, ME',
  'Lansing-East Lansing, MI',
  'Chicago-Naperville-Elgin, IL-IN-WI',
  'Atlanta-Sandy Springs-Roswell, GA',
  'Waterloo-Cedar Falls, IA',
  'Lake Havasu City-Kingman, AZ',
  'San Jose-Sunnyvale-Santa Clara, CA',
  'Tampa-St. Petersburg-Clearwater, FL',
  'New York-Newark-Jersey City, NY-NJ-PA',
  'Sacramento--Roseville--Arden-Arcade, CA',
  'Janesville-Beloit, WI',
  'Birmingham-Hoover, AL',
  'Winston-Salem, NC',
  'Red Bluff, CA',
  'Marinette, WI-MI',
  'Augusta-Richmond County, GA-SC',
  'Houston-The Woodlands-Sugar Land, TX',
  'Detroit-Warren-Dearborn, MI',
  'New Orleans-Metairie, LA',
  'La Crosse-Onalaska, WI-MN',
  'New Haven-Milford, CT',
  'San Antonio-New Braunfels, TX',
  'Harrisburg-Carlisle, PA',
  'Philadelphia-Camden-Wilmington, PA-NJ-DE-MD',
  'Washington-Arlington-Alexandria, DC-VA-MD-WV',
  'Salinas, CA',
  'Phoenix-Mesa-Scottsdale, AZ',
  'Lubbock, TX',
  'Eugene, OR',
  'Columbia, SC',
  'Nashville-Davidson--Murfreesboro--Franklin, TN',
  'Dallas-Fort Worth-Arlington, TX',
  'Minneapolis-St. Paul-Bloomington, MN-WI',
  'Seattle-Tacoma-Bellevue, WA',
  'St. Louis, MO-IL',
  'Indianapolis-Carmel-Anderson, IN',
  'Richmond, VA',
  'Los Angeles-Long Beach-Anaheim, CA',
  'Milwaukee-Waukesha-West Allis, WI',
  'Salt Lake City, UT',
  'San Diego-Carlsbad, CA',
  'Raleigh, NC',
  'London, KY',
  'Miami-Fort Lauderdale-West Palm Beach, FL',
  'Myrtle Beach-Conway-North Myrtle Beach, SC-NC',
];

/**
 * Browser user agents of 2014-era clients. Like the real logs, WebKit/Chrome agents carry
 * literal double quotes inside the value and Firefox/IE agents do not.
 */
export const USER_AGENTS: readonly string[] = [
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2"',
  'Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0',
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36"',
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36"',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0',
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4"',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
  '"Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36"',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:30.0) Gecko/20100101 Firefox/30.0',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:32.0) Gecko/20100101 Firefox/32.0',
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36"',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_3) AppleWebKit/537.75.14 (KHTML, like Gecko) Version/7.0.3 Safari/537.75.14"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/538.46 (KHTML, like Gecko) Version/8.0 Safari/538.46"',
  '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_1 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D201 Safari/9537.53"',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_6_8) AppleWebKit/534.59.10 (KHTML, like Gecko) Version/5.1.9 Safari/534.59.10"',
  'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)',
];
