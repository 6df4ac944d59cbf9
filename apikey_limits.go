package aistats

import (
	"fmt"
	"math"
)

// The server stores a USD limit as whole nano-dollars in a bigint column
// (Math.round(usd*1e9)) and reads 0 nanos back as "no limit". A limit that
// would be stored as 0 (zero, or under a nano-dollar) would therefore make
// the key unlimited, the opposite of what was written; one past the column
// would fail on the server. Both are refused before any request.
const (
	minLimitUSD = 1e-9
	// maxLimitNanos is 2^63: the first nano count a bigint cannot hold.
	maxLimitNanos = 0x1p63
)

// errZeroLimit says how to get each thing a zero limit could have meant.
func errZeroLimit(what string) *ValidationError {
	return &ValidationError{Field: "Limit", Problem: what + ", which the server stores as no limit at all: " +
		"for no limit leave Limit nil (Update: set RemoveLimit to remove one); " +
		"to stop all spending set Disabled (pause the key) or SoftBlocked"}
}

// checkLimitUSD refuses a USD limit the server would reject or store as
// something other than what was written.
func checkLimitUSD(limit float64) error {
	switch {
	case math.IsNaN(limit) || math.IsInf(limit, 0) || limit < 0:
		return &ValidationError{Field: "Limit", Problem: fmt.Sprintf("is %v; want a positive number of US dollars", limit)}
	case limit == 0:
		return errZeroLimit("is 0")
	case limit < minLimitUSD:
		return errZeroLimit(fmt.Sprintf("is %v, under one nano-dollar ($0.000000001), so it would be stored as 0", limit))
	case math.Round(limit*1e9) >= maxLimitNanos:
		return &ValidationError{Field: "Limit", Problem: fmt.Sprintf("is %v, above the largest limit the server can store ($%.9f)",
			limit, float64(math.MaxInt64)/1e9)}
	}
	return nil
}

// checkLimitReset refuses a window the server does not know.
func checkLimitReset(reset LimitReset) error {
	if !reset.known() {
		return &ValidationError{Field: "LimitReset", Problem: fmt.Sprintf("%q is not one of %s, %s, %s",
			reset, LimitResetDaily, LimitResetWeekly, LimitResetMonthly)}
	}
	return nil
}

// createLimit validates Create's limit and window and returns the window
// to send. The server's default window for a limit without one is monthly;
// the SDK sends it explicitly, so the key gets what CreateAPIKeyParams
// documents whatever a server's default.
func createLimit(limit *float64, reset LimitReset) (LimitReset, error) {
	if limit == nil {
		if reset != "" {
			// The server ignores a window without a limit on create.
			return "", &ValidationError{Field: "LimitReset", Problem: "is set without Limit; give the USD limit it applies to"}
		}
		return "", nil
	}
	if err := checkLimitUSD(*limit); err != nil {
		return "", err
	}
	if reset == "" {
		return LimitResetMonthly, nil
	}
	return reset, checkLimitReset(reset)
}

// updateLimit validates Update's limit fields and returns the "limit" to
// send: absent, null (RemoveLimit) or an amount. The server resets the
// window to monthly when "limit" comes alone, and with "limit_reset" alone
// moves whatever limit the key has at that moment (or does nothing when it
// has none); so an amount and its window travel together, and a change
// never depends on what the key held when the request arrived.
func updateLimit(p *UpdateAPIKeyParams) (nullable[float64], error) {
	if p.RemoveLimit {
		if p.Limit != nil || p.LimitReset != nil {
			return nullable[float64]{}, &ValidationError{Field: "RemoveLimit",
				Problem: "is set together with Limit or LimitReset; either remove the limit or set a new one"}
		}
		return nullable[float64]{set: true}, nil
	}
	if p.Limit != nil {
		if err := checkLimitUSD(*p.Limit); err != nil {
			return nullable[float64]{}, err
		}
	}
	if p.LimitReset != nil {
		if err := checkLimitReset(*p.LimitReset); err != nil {
			return nullable[float64]{}, err
		}
	}
	switch {
	case p.Limit == nil && p.LimitReset == nil:
		return nullable[float64]{}, nil
	case p.Limit == nil:
		return nullable[float64]{}, &ValidationError{Field: "Limit", Problem: "is required with LimitReset: give the USD amount " +
			"together with its window (the server would otherwise move whatever limit the key has then, or do nothing), " +
			"or set RemoveLimit to remove the limit"}
	case p.LimitReset == nil:
		return nullable[float64]{}, &ValidationError{Field: "LimitReset", Problem: "is required with Limit: the server " +
			"would reset the window to monthly; give the window the limit applies to (daily, weekly or monthly)"}
	}
	return nullable[float64]{set: true, value: p.Limit}, nil
}
