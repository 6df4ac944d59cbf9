// Package retryafter parses the HTTP Retry-After header.
package retryafter

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSeconds bounds the delay-seconds form so the multiplication below
// cannot overflow time.Duration (about 292 years).
const maxSeconds = 100 * 365 * 24 * 3600

// Parse reads a Retry-After value: delay-seconds ("120") or an HTTP-date in
// any form net/http accepts (RFC 1123, RFC 850, asctime). A date in the past
// is 0. ok is false when the value is absent or malformed; a negative or
// fractional number is malformed (RFC 9110 §10.2.3).
func Parse(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			// A run of digits too long for uint64 is still delay-seconds:
			// cap it like any other huge value.
			if !errors.Is(err, strconv.ErrRange) || strings.Trim(v, "0123456789") != "" {
				return 0, false
			}
			n = maxSeconds
		}
		if n > maxSeconds {
			n = maxSeconds
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d = t.Sub(now); d < 0 {
		d = 0
	}
	return d, true
}
