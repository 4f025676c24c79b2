// hyphenate.js: soft hyphens at Finnish syllable boundaries, for the room
// screen. A projector's large type in narrow cards must wrap long
// compounds ("yksinkertaisemmaksi"); CSS `hyphens: auto` needs the
// browser's Finnish dictionary, which many installations lack, and then
// the word is split anywhere without a hyphen. Finnish syllables follow
// two rules, so the screen marks the places itself:
//   * a consonant followed by a vowel begins a syllable (kort-ti, yh-teys);
//   * two vowels that are neither a long vowel nor a diphthong belong to
//     different syllables (ko-e, lu-en).
// The browser then breaks a word only at a soft hyphen (CSS
// `hyphens: manual`) and shows a hyphen there.

const VOWELS = 'aeiouyäöå';
const UNITS = new Set(['aa', 'ee', 'ii', 'oo', 'uu', 'yy', 'ää', 'öö',
  'ai', 'ei', 'oi', 'ui', 'yi', 'äi', 'öi', 'au', 'eu', 'iu', 'ou', 'ey', 'iy', 'äy', 'öy', 'ie', 'uo', 'yö']);
const SHY = '\u00ad';
const MIN_WORD = 12; // shorter words fit any card
const isVowel = (c) => VOWELS.includes(c);
const isLetter = (c) => /^[a-zåäöšž]$/.test(c);

/** breaks returns the indices of a Finnish word where a syllable begins. */
export function breaks(word) {
  const w = word.toLowerCase();
  if (![...w].every(isLetter)) return [];
  const out = [];
  let seenVowel = false;
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    if (i > 0 && seenVowel) {
      if (!isVowel(c) && i + 1 < w.length && isVowel(w[i + 1])) out.push(i);
      else if (isVowel(c) && isVowel(w[i - 1])) {
        const unitBefore = i >= 2 && isVowel(w[i - 2]) && !out.includes(i - 1) && UNITS.has(w[i - 2] + w[i - 1]);
        if (unitBefore || !UNITS.has(w[i - 1] + c)) out.push(i);
      }
    }
    if (isVowel(c)) seenVowel = true;
  }
  // Leave at least two letters on each side of a break.
  return out.filter((i) => i >= 2 && w.length - i >= 2);
}

/** hyphenate puts soft hyphens into the long words of a Finnish text;
 * other languages are left to the browser (`hyphens: auto`). */
export function hyphenate(text, lang) {
  if (lang !== 'fi' || !text) return text;
  return text.replace(/\p{L}+/gu, (word) => {
    if (word.length < MIN_WORD) return word;
    const at = breaks(word);
    if (!at.length) return word;
    let out = '', from = 0;
    for (const i of at) { out += word.slice(from, i) + SHY; from = i; }
    return out + word.slice(from);
  });
}
