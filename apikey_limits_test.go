package aistats

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A limit means what the caller wrote: amounts the server would store as
// "no limit" (0 nanos) or could not store are refused before any request,
// and an Update never leaves the window to the server's default.

func TestLimitsTheServerWouldReinterpretAreRefused(t *testing.T) {
	ctx := context.Background()
	type call = func(c *Client) error
	create := func(p CreateAPIKeyParams) call {
		return func(c *Client) error { p.Name = "n"; return errOnly(c.APIKeys.Create(ctx, &p)) }
	}
	update := func(p UpdateAPIKeyParams) call {
		return func(c *Client) error { return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &p)) }
	}
	daily := Ptr(LimitResetDaily)
	tests := []struct {
		name, field string
		call        call
		says        []string // what the message must tell the caller
	}{
		{"create zero", "Limit", create(CreateAPIKeyParams{Limit: Ptr(0.0)}), []string{"no limit", "leave Limit nil", "Disabled", "SoftBlocked"}},
		{"create negative zero", "Limit", create(CreateAPIKeyParams{Limit: Ptr(math.Copysign(0, -1))}), []string{"no limit"}},
		{"create half a nano", "Limit", create(CreateAPIKeyParams{Limit: Ptr(4e-10)}), []string{"nano-dollar", "stored as 0"}},
		{"create smallest float", "Limit", create(CreateAPIKeyParams{Limit: Ptr(math.SmallestNonzeroFloat64)}), []string{"stored as 0"}},
		{"create past bigint", "Limit", create(CreateAPIKeyParams{Limit: Ptr(9.3e9)}), []string{"largest limit"}},
		{"create max float", "Limit", create(CreateAPIKeyParams{Limit: Ptr(math.MaxFloat64)}), []string{"largest limit"}},
		{"create +Inf", "Limit", create(CreateAPIKeyParams{Limit: Ptr(math.Inf(1))}), nil},
		{"create NaN", "Limit", create(CreateAPIKeyParams{Limit: Ptr(nan())}), nil},
		{"update zero", "Limit", update(UpdateAPIKeyParams{Limit: Ptr(0.0), LimitReset: daily}), []string{"RemoveLimit", "Disabled", "SoftBlocked"}},
		{"update tiny", "Limit", update(UpdateAPIKeyParams{Limit: Ptr(1e-12), LimitReset: daily}), []string{"stored as 0"}},
		{"update past bigint", "Limit", update(UpdateAPIKeyParams{Limit: Ptr(1e19), LimitReset: daily}), nil},
		{"update -Inf", "Limit", update(UpdateAPIKeyParams{Limit: Ptr(math.Inf(-1)), LimitReset: daily}), nil},
		{"update limit without window", "LimitReset", update(UpdateAPIKeyParams{Limit: Ptr(7.0)}), []string{"monthly"}},
		{"update window without limit", "Limit", update(UpdateAPIKeyParams{LimitReset: daily}), []string{"RemoveLimit"}},
		{"update remove and limit", "RemoveLimit", update(UpdateAPIKeyParams{RemoveLimit: true, Limit: Ptr(7.0), LimitReset: daily}), nil},
		{"update remove and window", "RemoveLimit", update(UpdateAPIKeyParams{RemoveLimit: true, LimitReset: daily}), nil},
		{"update remove and limit alone", "RemoveLimit", update(UpdateAPIKeyParams{RemoveLimit: true, Limit: Ptr(7.0)}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			err := tt.call(newJulyClient(t, srv.BaseURL()))
			requireValidationError(t, err, tt.field)
			for _, s := range tt.says {
				require.Contains(t, err.Error(), s)
			}
			require.Zero(t, srv.count(), "refused before any request")
		})
	}
}

func TestLimitBodiesSayExactlyWhatWasWritten(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c *Client) error
		body string
	}{
		{"create, limit without window: monthly is sent, not left to the server", func(c *Client) error {
			return errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n", Limit: Ptr(5.0)}))
		}, `{"name":"n","limit":5,"limit_reset":"monthly"}`},
		{"create, one nano-dollar", func(c *Client) error {
			return errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n", Limit: Ptr(1e-9), LimitReset: LimitResetDaily}))
		}, `{"name":"n","limit":1e-9,"limit_reset":"daily"}`},
		{"update, limit and window together", func(c *Client) error {
			return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{Limit: Ptr(7.0), LimitReset: Ptr(LimitResetDaily)}))
		}, `{"limit":7,"limit_reset":"daily"}`},
		{"update, remove limit", func(c *Client) error {
			return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{RemoveLimit: true}))
		}, `{"limit":null}`},
		{"update, name only leaves the limit alone", func(c *Client) error {
			return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{Name: Ptr("n")}))
		}, `{"name":"n"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, jsonReply(200, julyAPIKeyCreated))
			require.NoError(t, tt.call(newJulyClient(t, srv.BaseURL())))
			require.JSONEq(t, tt.body, string(srv.only(t).Body))
			require.False(t, strings.Contains(string(srv.only(t).Body), `"limit":0`))
		})
	}
}
