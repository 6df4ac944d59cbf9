package retryafter

import (
	"net/http"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 14, 2, 11, 0, time.UTC)
	later := now.Add(90 * time.Second)
	capped := time.Duration(maxSeconds) * time.Second
	tests := []struct {
		name, in string
		want     time.Duration
		wantOK   bool
	}{
		{"seconds", "120", 120 * time.Second, true},
		{"zero", "0", 0, true},
		{"leading zeros", "007", 7 * time.Second, true},
		{"surrounding white space", " \t120 \r\n", 120 * time.Second, true},
		{"over the cap", "99999999999", capped, true},
		{"at the cap", "3153600000", capped, true},
		{"uint64 max", "18446744073709551615", capped, true},
		{"beyond uint64", "18446744073709551616", capped, true},
		{"beyond uint64 then text", "99999999999999999999x", 0, false},
		{"negative", "-5", 0, false},
		{"plus sign", "+5", 0, false},
		{"fraction", "1.5", 0, false},
		{"exponent", "1e3", 0, false},
		{"hex", "0x10", 0, false},
		{"digits then text", "12abc", 0, false},
		{"two numbers", "12 34", 0, false},
		{"non-ASCII digits", "١٢٣", 0, false},
		{"empty", "", 0, false},
		{"only white space", " \t ", 0, false},
		{"garbage", "soon", 0, false},
		{"RFC 1123 future", later.Format(http.TimeFormat), 90 * time.Second, true},
		{"RFC 1123 past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"RFC 1123 now", now.Format(http.TimeFormat), 0, true},
		{"RFC 850 future", later.Format(time.RFC850), 90 * time.Second, true},
		{"asctime future", later.Format(time.ANSIC), 90 * time.Second, true},
		{"asctime past", "Sun Nov  6 08:49:37 1994", 0, true},
		{"date with a numeric zone", later.Format(time.RFC1123Z), 0, false},
		{"date, wrong weekday ignored", "Mon, 10 Mar 2026 14:03:41 GMT", 90 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Parse(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "1.5", "99999999999999999999", " 7 ", "soon", "",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"} {
		f.Add(s, int64(1773151331))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		now := time.Unix(nowUnix, 0)
		d, ok := Parse(v, now)
		if d < 0 {
			t.Fatalf("Parse(%q) = %v: negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("Parse(%q) = %v, false: a refused value must be 0", v, d)
		}
	})
}
