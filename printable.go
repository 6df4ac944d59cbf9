package aistats

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// printableLine makes text safe for one line of a terminal or a log:
// white space (line breaks included) folds to single spaces, and
// control and format characters (Unicode Cc and Cf: escapes, bidi
// overrides, zero-width and tag characters, soft hyphens …), line and
// paragraph separators and invalid UTF-8 become U+FFFD, so a server can
// neither forge log lines nor hide or reorder what a reader sees. Only
// serverText calls it.
func printableLine(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			clean = false
			break
		} else if c >= utf8.RuneSelf {
			clean = cleanRunes(s[i:])
			break
		}
	}
	if clean && !strings.Contains(s, "  ") && (s == "" || s[0] != ' ' && s[len(s)-1] != ' ') {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			space = true
			continue
		case r == utf8.RuneError || unsafeRune(r):
			r = utf8.RuneError
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanRunes reports whether s is valid UTF-8 without an unsafe rune.
func cleanRunes(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune: every rune of Unicode category Cc (C0 and C1 controls, DEL;
// tab and friends included: the caller folds them) or Cf (invisible
// characters that change how the text around them is shown or hide text
// of their own), the tag block and the line and paragraph separators.
func unsafeRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	return r <= 0x9f || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r) ||
		(r >= 0xe0000 && r <= 0xe007f) // the whole tag block, its unassigned code points too
}
