package aistats

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Limits and usage counters that no int64 holds are a *DecodeError, never a
// wrapped (negative) number.
func TestOutOfRangeCountsAreDecodeErrors(t *testing.T) {
	ctx := context.Background()
	withField := func(object, field string) string { // object without its closing brace
		return object + ",\n    " + field + "\n  }"
	}
	apiKey := func(field string) string { return `{"data": ` + withField(julyAPIKeyObject, field) + "}" }
	apiKeyList := func(field string) string {
		return `{"data": [` + withField(julyAPIKeyObject, field) + `], "total_count": 1}`
	}
	mgmtJuly := func(field string) string {
		return `{"data": ` + strings.Replace(julyMgmtObject, `"daily_limit_cost_nanos": 5000000000`, field, 1) + "\n  }\n}"
	}
	mgmtMarch := func(field string) string {
		return `{"ok": true, "key": ` + withField(strings.TrimSuffix(detailObject, "\n  }"), field) + "}"
	}

	getAPIKey := func(c *Client) error { return errOnly(c.APIKeys.Get(ctx, julyAPIKeyID)) }
	listAPIKeys := func(c *Client) error { return errOnly(c.APIKeys.List(ctx, nil)) }
	getKey := func(c *Client) error { return errOnly(c.Keys.Get(ctx, testKeyID)) }
	july := func(t *testing.T, url string) *Client { return newJulyClient(t, url) }
	march := func(t *testing.T, url string) *Client { return newTestClient(t, url) }

	tests := []struct {
		name   string
		body   string
		client func(*testing.T, string) *Client
		call   func(*Client) error
		names  string // the field the error names
	}{
		{"api key: requests limit 1e19", apiKey(`"limits": {"daily": {"requests": 1e19, "cost": null}}`), july, getAPIKey, "limits.daily.requests"},
		{"api key: requests limit 2^63", apiKey(`"limits": {"weekly": {"requests": 9223372036854775808}}`), july, getAPIKey, "limits.weekly.requests"},
		{"api key: requests limit negative", apiKey(`"limits": {"daily": {"requests": -1}}`), july, getAPIKey, "limits.daily.requests"},
		{"api key: cost limit past int64 nanos", apiKey(`"limits": {"monthly": {"cost": 9223372037}}`), july, getAPIKey, "limits.monthly.cost"},
		{"api key: cost limit 1e300", apiKey(`"limits": {"monthly": {"cost": 1e300}}`), july, getAPIKey, "limits.monthly.cost"},
		{"api key: usage count 1e19", apiKey(`"usage_details": {"total": {"requests": 1e19, "cost": 0}}`), july, getAPIKey, "usage_details.total.requests"},
		{"api key: usage count negative", apiKey(`"usage_details": {"daily": {"requests": -5, "cost": 0}}`), july, getAPIKey, "usage_details.daily.requests"},
		{"api key list: usage count 1e19", apiKeyList(`"usage_details": {"weekly": {"requests": 1e19, "cost": 0}}`), july, listAPIKeys, "usage_details.weekly.requests"},
		{"api key list: negative total", `{"data": [], "total_count": -3}`, july, listAPIKeys, "total_count"},
		{"2026-07 management key: nanos 2^63", mgmtJuly(`"daily_limit_cost_nanos": 9223372036854775808`), july, getKey, "daily_limit_cost_nanos"},
		{"2026-07 management key: nanos 1e19", mgmtJuly(`"daily_limit_cost_nanos": 1e19`), july, getKey, "daily_limit_cost_nanos"},
		{"2026-07 management key: negative nanos", mgmtJuly(`"daily_limit_cost_nanos": -1`), july, getKey, "daily_limit_cost_nanos"},
		{"2026-03 management key: requests 2^63", mgmtMarch(`"monthly_limit_requests": 9223372036854775808`), march, getKey, "monthly_limit_requests"},
		{"2026-03 management key: negative requests", mgmtMarch(`"weekly_limit_requests": -7`), march, getKey, "weekly_limit_requests"},
		{"2026-03 list: negative total", `{"ok":true,"limit":50,"offset":0,"total":-1,"keys":[]}`, march, func(c *Client) error { return errOnly(c.Keys.List(ctx, nil)) }, "total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(200, tt.body))
			c := tt.client(t, srv.BaseURL())
			err := tt.call(c)
			var de *DecodeError
			require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
			require.Contains(t, err.Error(), tt.names)
		})
	}
}

// The largest values that fit still decode exactly.
func TestLargestCountsStillDecode(t *testing.T) {
	srv := newTestServer(t, jsonReply(200, `{"data": `+julyAPIKeyObject+`,
    "limits": {"daily": {"requests": 9007199254740992, "cost": 9223372036}},
    "usage_details": {"total": {"requests": 9.2e18, "cost": 1}}
  }}`))
	k, err := newJulyClient(t, srv.BaseURL()).APIKeys.Get(context.Background(), julyAPIKeyID)
	require.NoError(t, err)
	require.Equal(t, int64(9007199254740992), *k.Limits.Daily.Requests)
	require.Equal(t, int64(9223372036000000000), *k.Limits.Daily.CostNanos)
	require.Equal(t, int64(9.2e18), k.Usage.Total.Requests)
}
