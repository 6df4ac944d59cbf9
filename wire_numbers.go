package aistats

import (
	"fmt"
	"math"
)

// Counts and nano-dollar amounts are int64 in the public types. A server
// value outside [0, 2^63) has no such representation: converting it would
// give a wrapped or saturated number (int64(1e19) is negative on amd64), so
// it is a decode error instead.

// wholeCount converts a JSON number of requests to an int64; false if none holds it.
func wholeCount(v float64) (int64, bool) {
	r := math.Round(v)
	if !(r >= 0 && r < maxLimitNanos) { // also refuses NaN
		return 0, false
	}
	return int64(r), true
}

// usdNanos converts a JSON number of US dollars to int64 nano-dollars;
// false if none holds it.
func usdNanos(usd float64) (int64, bool) { return wholeCount(usd * 1e9) }

func errCount(section, name, metric string, v float64) error {
	return fmt.Errorf("%s.%s.%s: %v does not fit an int64 count of requests or nano-dollars", section, name, metric, v)
}

// wireKeyLimitNames are the JSON names of wireKey's six limit fields, in
// the order limitFields returns them.
var wireKeyLimitNames = [...]string{"daily_limit_requests", "weekly_limit_requests", "monthly_limit_requests",
	"daily_limit_cost_nanos", "weekly_limit_cost_nanos", "monthly_limit_cost_nanos"}

// checkLimitFields refuses a negative limit (encoding/json already refuses
// one past 2^63-1 in an int64 field).
func (w *wireKey) checkLimitFields() error {
	for i, v := range [...]*int64{w.DailyRequests, w.WeeklyRequests, w.MonthlyRequests, w.DailyCostNanos, w.WeeklyCostNanos, w.MonthlyCostNanos} {
		if v != nil && *v < 0 {
			return fmt.Errorf("%s: %d is negative", wireKeyLimitNames[i], *v)
		}
	}
	return nil
}

// totalOf reads a list's total: -1 when absent, an error when negative
// (walks trust a total to keep paging, see nextWindow).
func totalOf(field string, v *int) (int, error) {
	switch {
	case v == nil:
		return -1, nil
	case *v < 0:
		return 0, fmt.Errorf("%s: %d is negative", field, *v)
	}
	return *v, nil
}
