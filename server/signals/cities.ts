/** A city a candidate may claim, with its centre's coordinates in degrees. */
export interface City {
  country: string;
  name: string;
  lat: number;
  lon: number;
  aliases?: string[];
}

/**
 * Capitals and major cities: every large city of the countries the advisory
 * names (KR, JP, CN, RU, KP, US) and the main business cities elsewhere.
 * Coordinates are city centres; the round-trip rule allows for the city's size.
 */
export const CITIES: readonly City[] = [
  { country: "KR", name: "Seoul", lat: 37.5665, lon: 126.978, aliases: ["서울", "Gangnam"] },
  { country: "KR", name: "Busan", lat: 35.1796, lon: 129.0756, aliases: ["부산", "Pusan"] },
  { country: "KR", name: "Incheon", lat: 37.4563, lon: 126.7052, aliases: ["인천"] },
  { country: "KR", name: "Daegu", lat: 35.8714, lon: 128.6014, aliases: ["대구"] },
  { country: "KR", name: "Daejeon", lat: 36.3504, lon: 127.3845, aliases: ["대전"] },
  { country: "KR", name: "Gwangju", lat: 35.1595, lon: 126.8526, aliases: ["광주"] },
  { country: "KR", name: "Suwon", lat: 37.2636, lon: 127.0286, aliases: ["수원"] },
  { country: "KR", name: "Seongnam", lat: 37.42, lon: 127.1265, aliases: ["성남", "Pangyo"] },
  { country: "JP", name: "Tokyo", lat: 35.6762, lon: 139.6503, aliases: ["東京", "東京都"] },
  { country: "JP", name: "Yokohama", lat: 35.4437, lon: 139.638, aliases: ["横浜"] },
  { country: "JP", name: "Osaka", lat: 34.6937, lon: 135.5023, aliases: ["大阪"] },
  { country: "JP", name: "Nagoya", lat: 35.1815, lon: 136.9066, aliases: ["名古屋"] },
  { country: "JP", name: "Sapporo", lat: 43.0618, lon: 141.3545, aliases: ["札幌"] },
  { country: "JP", name: "Fukuoka", lat: 33.5904, lon: 130.4017, aliases: ["福岡"] },
  { country: "JP", name: "Kyoto", lat: 35.0116, lon: 135.7681, aliases: ["京都"] },
  { country: "JP", name: "Kobe", lat: 34.6901, lon: 135.1956, aliases: ["神戸"] },
  { country: "JP", name: "Sendai", lat: 38.2682, lon: 140.8694, aliases: ["仙台"] },
  { country: "CN", name: "Beijing", lat: 39.9042, lon: 116.4074, aliases: ["北京", "Peking"] },
  { country: "CN", name: "Shanghai", lat: 31.2304, lon: 121.4737, aliases: ["上海"] },
  { country: "CN", name: "Shenyang", lat: 41.8057, lon: 123.4315, aliases: ["沈阳"] },
  { country: "CN", name: "Dandong", lat: 40.129, lon: 124.3947, aliases: ["丹东"] },
  { country: "CN", name: "Yanji", lat: 42.9048, lon: 129.5136, aliases: ["延吉"] },
  { country: "CN", name: "Dalian", lat: 38.914, lon: 121.6147, aliases: ["大连"] },
  { country: "CN", name: "Harbin", lat: 45.8038, lon: 126.535, aliases: ["哈尔滨"] },
  { country: "CN", name: "Shenzhen", lat: 22.5431, lon: 114.0579, aliases: ["深圳"] },
  { country: "CN", name: "Guangzhou", lat: 23.1291, lon: 113.2644, aliases: ["广州", "Canton"] },
  { country: "CN", name: "Hangzhou", lat: 30.2741, lon: 120.1551, aliases: ["杭州"] },
  { country: "CN", name: "Chengdu", lat: 30.5728, lon: 104.0668, aliases: ["成都"] },
  { country: "KP", name: "Pyongyang", lat: 39.0392, lon: 125.7625, aliases: ["평양"] },
  { country: "RU", name: "Moscow", lat: 55.7558, lon: 37.6173, aliases: ["Москва", "Moskva"] },
  { country: "RU", name: "Saint Petersburg", lat: 59.9311, lon: 30.3609, aliases: ["St Petersburg", "Санкт-Петербург"] },
  { country: "RU", name: "Vladivostok", lat: 43.1155, lon: 131.8855, aliases: ["Владивосток"] },
  { country: "RU", name: "Khabarovsk", lat: 48.4802, lon: 135.0719, aliases: ["Хабаровск"] },
  { country: "RU", name: "Novosibirsk", lat: 55.0084, lon: 82.9357, aliases: ["Новосибирск"] },
  { country: "RU", name: "Yekaterinburg", lat: 56.8389, lon: 60.6057, aliases: ["Екатеринбург"] },
  { country: "US", name: "New York", lat: 40.7128, lon: -74.006, aliases: ["New York City", "NYC", "Brooklyn"] },
  { country: "US", name: "Los Angeles", lat: 34.0522, lon: -118.2437, aliases: ["LA"] },
  { country: "US", name: "San Francisco", lat: 37.7749, lon: -122.4194, aliases: ["SF"] },
  { country: "US", name: "San Jose", lat: 37.3382, lon: -121.8863 },
  { country: "US", name: "Seattle", lat: 47.6062, lon: -122.3321 },
  { country: "US", name: "Chicago", lat: 41.8781, lon: -87.6298 },
  { country: "US", name: "Washington", lat: 38.9072, lon: -77.0369, aliases: ["Washington DC", "Washington, D.C."] },
  { country: "US", name: "Boston", lat: 42.3601, lon: -71.0589 },
  { country: "US", name: "Atlanta", lat: 33.749, lon: -84.388 },
  { country: "US", name: "Miami", lat: 25.7617, lon: -80.1918 },
  { country: "US", name: "Dallas", lat: 32.7767, lon: -96.797 },
  { country: "US", name: "Houston", lat: 29.7604, lon: -95.3698 },
  { country: "US", name: "Austin", lat: 30.2672, lon: -97.7431 },
  { country: "US", name: "Denver", lat: 39.7392, lon: -104.9903 },
  { country: "US", name: "Phoenix", lat: 33.4484, lon: -112.074 },
  { country: "CA", name: "Toronto", lat: 43.6532, lon: -79.3832 },
  { country: "CA", name: "Vancouver", lat: 49.2827, lon: -123.1207 },
  { country: "CA", name: "Montreal", lat: 45.5017, lon: -73.5673 },
  { country: "MX", name: "Mexico City", lat: 19.4326, lon: -99.1332, aliases: ["Ciudad de México", "CDMX"] },
  { country: "BR", name: "São Paulo", lat: -23.5505, lon: -46.6333 },
  { country: "AR", name: "Buenos Aires", lat: -34.6037, lon: -58.3816 },
  { country: "CO", name: "Bogotá", lat: 4.711, lon: -74.0721 },
  { country: "CL", name: "Santiago", lat: -33.4489, lon: -70.6693 },
  { country: "PE", name: "Lima", lat: -12.0464, lon: -77.0428 },
  { country: "GB", name: "London", lat: 51.5074, lon: -0.1278 },
  { country: "IE", name: "Dublin", lat: 53.3498, lon: -6.2603 },
  { country: "FR", name: "Paris", lat: 48.8566, lon: 2.3522 },
  { country: "DE", name: "Berlin", lat: 52.52, lon: 13.405 },
  { country: "DE", name: "Frankfurt", lat: 50.1109, lon: 8.6821, aliases: ["Frankfurt am Main"] },
  { country: "NL", name: "Amsterdam", lat: 52.3676, lon: 4.9041 },
  { country: "BE", name: "Brussels", lat: 50.8503, lon: 4.3517, aliases: ["Bruxelles"] },
  { country: "ES", name: "Madrid", lat: 40.4168, lon: -3.7038 },
  { country: "PT", name: "Lisbon", lat: 38.7223, lon: -9.1393, aliases: ["Lisboa"] },
  { country: "IT", name: "Rome", lat: 41.9028, lon: 12.4964, aliases: ["Roma"] },
  { country: "IT", name: "Milan", lat: 45.4642, lon: 9.19, aliases: ["Milano"] },
  { country: "CH", name: "Zurich", lat: 47.3769, lon: 8.5417, aliases: ["Zürich"] },
  { country: "AT", name: "Vienna", lat: 48.2082, lon: 16.3738, aliases: ["Wien"] },
  { country: "SE", name: "Stockholm", lat: 59.3293, lon: 18.0686 },
  { country: "NO", name: "Oslo", lat: 59.9139, lon: 10.7522 },
  { country: "DK", name: "Copenhagen", lat: 55.6761, lon: 12.5683, aliases: ["København"] },
  { country: "FI", name: "Helsinki", lat: 60.1699, lon: 24.9384 },
  { country: "PL", name: "Warsaw", lat: 52.2297, lon: 21.0122, aliases: ["Warszawa"] },
  { country: "CZ", name: "Prague", lat: 50.0755, lon: 14.4378, aliases: ["Praha"] },
  { country: "HU", name: "Budapest", lat: 47.4979, lon: 19.0402 },
  { country: "RO", name: "Bucharest", lat: 44.4268, lon: 26.1025, aliases: ["București"] },
  { country: "GR", name: "Athens", lat: 37.9838, lon: 23.7275 },
  { country: "UA", name: "Kyiv", lat: 50.4501, lon: 30.5234, aliases: ["Kiev"] },
  { country: "BY", name: "Minsk", lat: 53.9006, lon: 27.559 },
  { country: "TR", name: "Istanbul", lat: 41.0082, lon: 28.9784 },
  { country: "IL", name: "Tel Aviv", lat: 32.0853, lon: 34.7818 },
  { country: "AE", name: "Dubai", lat: 25.2048, lon: 55.2708 },
  { country: "SA", name: "Riyadh", lat: 24.7136, lon: 46.6753 },
  { country: "EG", name: "Cairo", lat: 30.0444, lon: 31.2357 },
  { country: "NG", name: "Lagos", lat: 6.5244, lon: 3.3792 },
  { country: "KE", name: "Nairobi", lat: -1.2921, lon: 36.8219 },
  { country: "ZA", name: "Johannesburg", lat: -26.2041, lon: 28.0473 },
  { country: "KZ", name: "Almaty", lat: 43.222, lon: 76.8512 },
  { country: "IN", name: "New Delhi", lat: 28.6139, lon: 77.209, aliases: ["Delhi"] },
  { country: "IN", name: "Mumbai", lat: 19.076, lon: 72.8777, aliases: ["Bombay"] },
  { country: "IN", name: "Bengaluru", lat: 12.9716, lon: 77.5946, aliases: ["Bangalore"] },
  { country: "PK", name: "Karachi", lat: 24.8607, lon: 67.0011 },
  { country: "BD", name: "Dhaka", lat: 23.8103, lon: 90.4125 },
  { country: "MN", name: "Ulaanbaatar", lat: 47.8864, lon: 106.9057, aliases: ["Ulan Bator"] },
  { country: "TW", name: "Taipei", lat: 25.033, lon: 121.5654, aliases: ["台北", "臺北"] },
  { country: "HK", name: "Hong Kong", lat: 22.3193, lon: 114.1694, aliases: ["香港"] },
  { country: "MO", name: "Macau", lat: 22.1987, lon: 113.5439, aliases: ["Macao", "澳門"] },
  { country: "VN", name: "Hanoi", lat: 21.0278, lon: 105.8342, aliases: ["Hà Nội"] },
  { country: "VN", name: "Ho Chi Minh City", lat: 10.8231, lon: 106.6297, aliases: ["Saigon"] },
  { country: "TH", name: "Bangkok", lat: 13.7563, lon: 100.5018 },
  { country: "LA", name: "Vientiane", lat: 17.9757, lon: 102.6331 },
  { country: "KH", name: "Phnom Penh", lat: 11.5564, lon: 104.9282 },
  { country: "MM", name: "Yangon", lat: 16.8409, lon: 96.1735, aliases: ["Rangoon"] },
  { country: "MY", name: "Kuala Lumpur", lat: 3.139, lon: 101.6869 },
  { country: "SG", name: "Singapore", lat: 1.3521, lon: 103.8198 },
  { country: "ID", name: "Jakarta", lat: -6.2088, lon: 106.8456 },
  { country: "PH", name: "Manila", lat: 14.5995, lon: 120.9842 },
  { country: "AU", name: "Sydney", lat: -33.8688, lon: 151.2093 },
  { country: "AU", name: "Melbourne", lat: -37.8136, lon: 144.9631 },
  { country: "NZ", name: "Auckland", lat: -36.8485, lon: 174.7633 },
];

function normalise(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\bst\.?\s/g, "saint ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const INDEX = new Map<string, City>();
for (const city of CITIES) {
  for (const name of [city.name, ...(city.aliases ?? [])]) INDEX.set(`${city.country}:${normalise(name)}`, city);
}

/**
 * Finds a claimed city in the table. Free text such as "Gangnam-gu, Seoul" or
 * "Seoul, South Korea" works: each comma-separated part is tried in turn.
 */
export function findCity(country: string, text: string): City | undefined {
  const code = country.toUpperCase();
  const parts = [text, ...text.split(/[,/]/)];
  for (const part of parts) {
    const hit = INDEX.get(`${code}:${normalise(part)}`);
    if (hit) return hit;
  }
  return undefined;
}

/** Great-circle distance in kilometres between two points (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
