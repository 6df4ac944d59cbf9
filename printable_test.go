package aistats

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzPrintableLine: whatever the server sends, the result is one line of
// valid UTF-8 with no unsafe character, and cleaning it again changes
// nothing.
func FuzzPrintableLine(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x1b[31mb", "x\u2028y\u202Ez", "  lead and trail  ", "a\r\nb\tc", "\xff\xfe", "zw\u200bj"} {
		f.Add(s)
	}
	for _, s := range hostileSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := printableLine(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		for _, r := range out {
			if unsafeRune(r) || unicode.In(r, unicode.Cc, unicode.Cf) {
				t.Fatalf("unsafe %U in %q", r, out)
			}
		}
		if again := printableLine(out); again != out {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
	})
}

// printableLine let invisible format characters through. No Cc or Cf rune
// survives, nor the tag block's unassigned code points.
func TestPrintableLineDropsEveryFormatCharacter(t *testing.T) {
	t.Parallel()
	probes := []rune{0xad, 0x180e, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfff9, 0xfffa, 0xfffb,
		0x600, 0x6dd, 0x70f, 0x110bd, 0x13430, 0xfeff, 0x200b, 0x2028, 0x2029}
	for r := rune(0x1d173); r <= 0x1d17a; r++ {
		probes = append(probes, r)
	}
	for r := rune(0xe0000); r <= 0xe007f; r++ {
		probes = append(probes, r)
	}
	for _, rt := range []*unicode.RangeTable{unicode.Cf, unicode.Cc} {
		for _, rg := range rt.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				probes = append(probes, r)
			}
		}
		for _, rg := range rt.R32 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				probes = append(probes, r)
			}
		}
	}
	for _, r := range probes {
		for _, in := range []string{string(r), "a" + string(r) + "b", "é" + string(r)} {
			out := printableLine(in)
			if strings.ContainsRune(out, r) && r != ' ' {
				t.Errorf("%U survives: %q -> %q", r, in, out)
			}
		}
	}
	// The fast path: plain ASCII comes back as it is, without a copy.
	if in := "GET /v1/keys: 404 Not Found"; printableLine(in) != in {
		t.Error("plain ASCII was changed")
	}
}

// Server text in Error() is one printable line: no control, escape,
// bidi-override or line-separator characters.
func TestErrorTextIsOnePrintableLine(t *testing.T) {
	t.Parallel()
	nasty := "a\x1b[31mred\x00nul\u2028ls\u2029ps\u202Eevil\u2066iso\r\nnext\x7fdel\u0085nel\u200bzw\xff"
	esc, _ := json.Marshal(nasty)
	srv := newTestServer(t,
		reply{Status: 400, Header: http.Header{"X-Request-Id": {"id\u202Efdp.exe"}},
			Body: `{"error":` + string(esc) + `,"message":` + string(esc) + `}`})
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	require.Error(t, err)
	assertOnePrintableLine(t, err.Error())

	// A cancelled call keeps both identities and is still one line.
	srv = newTestServer(t, reply{Status: 503, Body: `{"error":` + string(esc) + `}`})
	c := newJulyClient(t, srv.BaseURL(), WithRetryWait(time.Hour, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel) // after the first answer, even on a loaded machine
	_, err = c.Keys.Get(ctx, julyMgmtID)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrServer)
	assertOnePrintableLine(t, err.Error())

	// A timed-out call too.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Keys.Get(ctx, julyMgmtID)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assertOnePrintableLine(t, err.Error())
}
