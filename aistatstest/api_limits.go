package aistatstest

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ai-stats/aistats-go"
)

// Body fields that both resources parse the same way: USD limits and
// their windows (API keys) and expiry dates (both).

// optionalTime is a JavaScript string|null|undefined parsed as a Date:
// set is false for undefined, t is nil for null.
type optionalTime struct {
	set bool
	t   *time.Time
}

// parseExpiry is the servers' expiry parsing: undefined stays undefined,
// null or a blank String(v) is null, anything else must make a valid
// Date (ok false otherwise). The value is kept in milliseconds, as
// toISOString writes it.
func parseExpiry(v any, defined bool) (optionalTime, bool) {
	if !defined {
		return optionalTime{}, true
	}
	if v == nil || jsTrim(jsString(v)) == "" {
		return optionalTime{set: true}, true
	}
	t, ok := jsDate(jsString(v))
	if !ok {
		return optionalTime{}, false
	}
	return optionalTime{set: true, t: &t}, true
}

// field is body[name] and whether it is defined; JSON has no undefined,
// so a present null is defined.
func field(body map[string]any, name string) (any, bool) {
	v, ok := body[name]
	return v, ok
}

// nullish is `body[a] ?? body[b]`.
func nullish(body map[string]any, a, b string) (any, bool) {
	if v, ok := body[a]; ok && v != nil {
		return v, true
	}
	return field(body, b)
}

const (
	msgBadExpiry = "expires_at must be a valid ISO-8601 datetime or null"
	msgBadLimit  = "limit must be a non-negative number or null"
	msgBadReset  = "limit_reset must be one of: daily, weekly, monthly"
)

// optionalUSD is a parsed "limit": set false when absent, null when it
// clears the limit.
type optionalUSD struct {
	set, null bool
	usd       float64
}

// parseUSDLimit is parseLimitNumber: null and "" clear, anything else goes
// through Number() and must be finite and not negative ("5" is 5, true
// is 1).
func parseUSDLimit(body map[string]any) (optionalUSD, string) {
	v, ok := body["limit"]
	switch {
	case !ok:
		return optionalUSD{}, ""
	case v == nil || v == "":
		return optionalUSD{set: true, null: true}, ""
	}
	f := jsToNumber(v)
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return optionalUSD{}, msgBadLimit
	}
	return optionalUSD{set: true, usd: f}, ""
}

// parseLimitReset: absent, null and "" mean none; otherwise
// String(v).trim().toLowerCase() must name a window.
func parseLimitReset(body map[string]any) (aistats.LimitReset, string) {
	v, ok := body["limit_reset"]
	if !ok || v == nil || v == "" {
		return "", ""
	}
	r := aistats.LimitReset(strings.ToLower(jsTrim(jsString(v))))
	if !knownWindow(r) {
		return "", msgBadReset
	}
	return r, ""
}

func knownWindow(r aistats.LimitReset) bool { return slices.Contains(limitWindows[:], r) }

// costColumns is applyCostLimitFields for a limit: every window zeroed but
// reset's (monthly when ""), which gets the limit in nanos. ok is false
// when the nanos do not fit the bigint column.
func costColumns(usd float64, reset aistats.LimitReset) (cols [3]int64, ok bool) {
	nanos := math.Max(0, jsRound(usd*1e9))
	if nanos >= math.MaxInt64 {
		return cols, false
	}
	cols[slices.Index(limitWindows[:], aistats.LimitReset(or(string(reset), string(aistats.LimitResetMonthly))))] = int64(nanos)
	return cols, true
}

// applyLimit writes a parsed limit to k (nothing when it is absent);
// false means the database would reject the value.
func (k *storedAPIKey) applyLimit(limit optionalUSD, reset aistats.LimitReset) bool {
	switch {
	case !limit.set:
		return true
	case limit.null:
		k.costNanos = [3]int64{}
		return true
	}
	cols, ok := costColumns(limit.usd, reset)
	if ok {
		k.costNanos = cols
	}
	return ok
}
