package aistatstest

import (
	"strings"
	"time"

	"github.com/ai-stats/aistats-go"
)

// The two 2026-07 objects, field for field in the server's order.

// Limit columns of a management key, in select order.
const (
	dailyRequests = iota
	weeklyRequests
	monthlyRequests
	dailyCostNanos
	weeklyCostNanos
	monthlyCostNanos
	limitColumns
)

// limitFields are the camelCase PATCH fields that write the limit columns.
var limitFields = [limitColumns]string{
	"dailyRequests", "weeklyRequests", "monthlyRequests", "dailyCostNanos", "weeklyCostNanos", "monthlyCostNanos",
}

// managementKeyObject is the raw management_keys row (18 columns) with
// scopes parsed into an array.
type managementKeyObject struct {
	ID                    string   `json:"id"`
	WorkspaceID           string   `json:"workspace_id"`
	Name                  jsText   `json:"name"`
	Prefix                jsText   `json:"prefix"`
	Status                jsText   `json:"status"`
	Scopes                []jsText `json:"scopes"`
	CreatedBy             *jsText  `json:"created_by"`
	CreatedAt             string   `json:"created_at"`
	UpdatedAt             *string  `json:"updated_at"`
	LastUsedAt            *string  `json:"last_used_at"`
	ExpiresAt             *string  `json:"expires_at"`
	SoftBlocked           bool     `json:"soft_blocked"`
	DailyLimitRequests    *int64   `json:"daily_limit_requests"`
	WeeklyLimitRequests   *int64   `json:"weekly_limit_requests"`
	MonthlyLimitRequests  *int64   `json:"monthly_limit_requests"`
	DailyLimitCostNanos   *int64   `json:"daily_limit_cost_nanos"`
	WeeklyLimitCostNanos  *int64   `json:"weekly_limit_cost_nanos"`
	MonthlyLimitCostNanos *int64   `json:"monthly_limit_cost_nanos"`
}

// createdManagementKeyObject adds the one-time plaintext.
type createdManagementKeyObject struct {
	managementKeyObject
	Key string `json:"key"`
}

// publicKey is the stored management key as the SDK's type, which the
// renderers (render.go) take.
func (k *storedKey) publicKey(v aistats.APIVersion) *aistats.Key {
	pk := k.toKey(v)
	return &pk
}

// apiKeyObject is formatApiKey's output at the contract's HEAD.
type apiKeyObject struct {
	ID                 string   `json:"id"`
	Hash               jsText   `json:"hash"`
	WorkspaceID        string   `json:"workspace_id"`
	Name               jsText   `json:"name"`
	Label              jsText   `json:"label"`
	Prefix             jsText   `json:"prefix"`
	Status             jsText   `json:"status"`
	Disabled           bool     `json:"disabled"`
	SoftBlocked        bool     `json:"soft_blocked"`
	IncludeBYOKInLimit bool     `json:"include_byok_in_limit"`
	Limit              *float64 `json:"limit"`
	LimitReset         *string  `json:"limit_reset"`
	CreatedBy          *jsText  `json:"created_by"`
	CreatorUserID      *jsText  `json:"creator_user_id"`
	CreatedAt          string   `json:"created_at"`
	// UpdatedAt is null for every stored key: HEAD does not select the
	// column. Body renders APIKey.UpdatedAt when it is set.
	UpdatedAt  *string `json:"updated_at"`
	LastUsedAt *string `json:"last_used_at"`
	ExpiresAt  *string `json:"expires_at"`
}

type createdAPIKeyObject struct {
	apiKeyObject
	Key string `json:"key"`
}

type apiKeyListBody struct {
	Data       []apiKeyObject `json:"data"`
	TotalCount *int           `json:"total_count,omitempty"`
}

type rotatedAPIKeyBody struct {
	Data                 createdAPIKeyObject `json:"data"`
	PreviousKeyExpiresAt *string             `json:"previous_key_expires_at"`
}

// publicKey is the stored API key as the SDK's type, which the renderers
// (render.go) take.
func (k *storedAPIKey) publicKey() *aistats.APIKey {
	pk := k.toAPIKey()
	return &pk
}

// disabled is the server's `lower(status) != "active" || soft_blocked`;
// expiry does not count.
func (k *storedAPIKey) disabled() bool {
	return strings.ToLower(jsTrim(k.status)) != "active" || k.softBlocked
}

// jsDatePtr renders an optional Date the way the server echoes a value it
// parsed itself: toISOString, or null.
func jsDatePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := jsISOString(*t)
	return &s
}
