package aistatstest

import (
	"strings"
	"time"
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

func (k *storedKey) object() managementKeyObject {
	scopes := []jsText{}
	for _, sc := range parseStoredScopeList(k.scopes) {
		scopes = append(scopes, jsText(sc))
	}
	return managementKeyObject{
		ID: k.id, WorkspaceID: k.teamID, Name: jsText(k.name), Prefix: jsText(k.prefix), Status: jsText(k.status),
		Scopes: scopes, CreatedBy: nullableText(k.createdBy), CreatedAt: formatTimestamp(k.createdAt),
		UpdatedAt: formatNullableTimestamp(k.updatedAt), LastUsedAt: formatNullableTimestamp(k.lastUsedAt),
		ExpiresAt: formatNullableTimestamp(k.expiresAt), SoftBlocked: k.softBlocked,
		DailyLimitRequests: k.limits[dailyRequests], WeeklyLimitRequests: k.limits[weeklyRequests],
		MonthlyLimitRequests: k.limits[monthlyRequests], DailyLimitCostNanos: k.limits[dailyCostNanos],
		WeeklyLimitCostNanos: k.limits[weeklyCostNanos], MonthlyLimitCostNanos: k.limits[monthlyCostNanos],
	}
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
	// UpdatedAt is always null: HEAD does not select the column.
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
	TotalCount int            `json:"total_count"`
}

type rotatedAPIKeyBody struct {
	Data                 createdAPIKeyObject `json:"data"`
	PreviousKeyExpiresAt *string             `json:"previous_key_expires_at"`
}

func (k *storedAPIKey) object() apiKeyObject {
	limit, reset := k.limit()
	var resetText *string
	if reset != "" {
		r := string(reset)
		resetText = &r
	}
	return apiKeyObject{
		ID: k.id, Hash: jsText(k.hash), WorkspaceID: k.workspaceID, Name: jsText(k.name), Label: jsText(k.name),
		Prefix: jsText(k.prefix), Status: jsText(k.status), Disabled: k.disabled(), SoftBlocked: k.softBlocked,
		Limit: limit, LimitReset: resetText, CreatedBy: nullableText(k.createdBy),
		CreatorUserID: nullableText(k.createdBy), CreatedAt: formatTimestamp(k.createdAt),
		LastUsedAt: formatNullableTimestamp(k.lastUsedAt), ExpiresAt: formatNullableTimestamp(k.expiresAt),
	}
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
