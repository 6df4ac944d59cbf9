package aistatstest

import (
	"net/http"
	"time"

	"github.com/ai-stats/aistats-go"
)

// The server's answers rendered from the SDK's public types. The fake's
// handlers convert a stored row to its public type and call these, and
// Body calls them with the caller's value, so a body from Body is the
// fake's own answer for that key and the two cannot drift.

// 2026-07: API keys (/v1/keys).

func apiKeyObjectOf(k *aistats.APIKey) apiKeyObject {
	return apiKeyObject{
		ID: k.ID, Hash: jsText(k.Hash), WorkspaceID: k.WorkspaceID, Name: jsText(k.Name), Label: jsText(k.Name),
		Prefix: jsText(k.Prefix), Status: jsText(k.Status), Disabled: k.Disabled, SoftBlocked: k.SoftBlocked,
		Limit: k.Limit, LimitReset: nullableString(string(k.LimitReset)), CreatedBy: nullableText(k.CreatedBy),
		CreatorUserID: nullableText(k.CreatedBy), CreatedAt: formatTimestamp(k.CreatedAt),
		UpdatedAt: formatNullableTimestamp(k.UpdatedAt), LastUsedAt: formatNullableTimestamp(k.LastUsedAt),
		ExpiresAt: formatNullableTimestamp(k.ExpiresAt),
	}
}

// apiKeyGetBody is GET and PATCH /v1/keys/{id}.
func apiKeyGetBody(k *aistats.APIKey) dataBody[apiKeyObject] {
	return dataBody[apiKeyObject]{Data: apiKeyObjectOf(k)}
}

// apiKeyListBodyOf is GET /v1/keys; a negative total omits total_count.
func apiKeyListBodyOf(keys []*aistats.APIKey, total int) apiKeyListBody {
	body := apiKeyListBody{Data: make([]apiKeyObject, 0, len(keys))}
	for _, k := range keys {
		body.Data = append(body.Data, apiKeyObjectOf(k))
	}
	if total >= 0 {
		body.TotalCount = &total
	}
	return body
}

// createdAPIKeyBody is POST /v1/keys.
func createdAPIKeyBody(k *aistats.APIKey, plaintext string) dataBody[createdAPIKeyObject] {
	return dataBody[createdAPIKeyObject]{Data: createdAPIKeyObject{apiKeyObjectOf(k), plaintext}}
}

// rotatedAPIKeyBodyOf is POST /v1/keys/{id}/rotate: the new key, and the
// old one's deadline as the server echoes a date it parsed.
func rotatedAPIKeyBodyOf(k *aistats.APIKey, plaintext string, previousExpiresAt *time.Time) rotatedAPIKeyBody {
	return rotatedAPIKeyBody{
		Data:                 createdAPIKeyObject{apiKeyObjectOf(k), plaintext},
		PreviousKeyExpiresAt: jsDatePtr(previousExpiresAt),
	}
}

// 2026-07: management keys (/v1/management-keys).

func managementKeyObjectOf(k *aistats.Key) managementKeyObject {
	scopes := make([]jsText, 0, len(k.Scopes))
	for _, sc := range k.Scopes {
		scopes = append(scopes, jsText(sc))
	}
	l := &k.Limits
	return managementKeyObject{
		ID: k.ID, WorkspaceID: or(k.WorkspaceID, k.TeamID), Name: jsText(k.Name), Prefix: jsText(k.Prefix),
		Status: jsText(k.Status), Scopes: scopes, CreatedBy: nullableText(k.CreatedBy),
		CreatedAt: formatTimestamp(k.CreatedAt), UpdatedAt: formatNullableTimestamp(k.UpdatedAt),
		LastUsedAt: formatNullableTimestamp(k.LastUsedAt), ExpiresAt: formatNullableTimestamp(k.ExpiresAt),
		SoftBlocked:        k.SoftBlocked,
		DailyLimitRequests: l.Daily.Requests, WeeklyLimitRequests: l.Weekly.Requests, MonthlyLimitRequests: l.Monthly.Requests,
		DailyLimitCostNanos: l.Daily.CostNanos, WeeklyLimitCostNanos: l.Weekly.CostNanos, MonthlyLimitCostNanos: l.Monthly.CostNanos,
	}
}

// managementKeyGetBody is GET and PATCH /v1/management-keys/{id}.
func managementKeyGetBody(k *aistats.Key) dataBody[managementKeyObject] {
	return dataBody[managementKeyObject]{Data: managementKeyObjectOf(k)}
}

// managementKeyListBody is GET /v1/management-keys.
func managementKeyListBody(keys []*aistats.Key) dataBody[[]managementKeyObject] {
	data := make([]managementKeyObject, 0, len(keys))
	for _, k := range keys {
		data = append(data, managementKeyObjectOf(k))
	}
	return dataBody[[]managementKeyObject]{Data: data}
}

// createdManagementKeyBody is POST /v1/management-keys.
func createdManagementKeyBody(k *aistats.Key, plaintext string) dataBody[createdManagementKeyObject] {
	return dataBody[createdManagementKeyObject]{Data: createdManagementKeyObject{managementKeyObjectOf(k), plaintext}}
}

// authErrorBodyOf is the 2026-07 guard's 401 (contract-2026-07.md §2.2):
// no message, the reason, and a request id that is also the generation id.
// The SDK reads error as Code and reason as Message.
func authErrorBodyOf(code, reason, requestID string) authErrorBodyJuly2026 {
	return authErrorBodyJuly2026{Error: or(code, "unauthorised"), Reason: reason, RequestID: requestID,
		StatusCode: http.StatusUnauthorized, ErrorType: "user", ErrorOrigin: "user", GenerationID: requestID}
}

// apiErrorBodyOf is a 2026-07 route's error; the catch-all 500 adds the
// request id it logged.
func apiErrorBodyOf(code, message, requestID string) apiErrorBody {
	return apiErrorBody{Error: code, Message: jsText(message), RequestID: requestID}
}

// 2026-03 (/v1/management/keys). scopes is the stored text, which the
// server echoes verbatim; Body passes Key.Scopes as the JSON array text
// the server stores for an array.

func keyDetailOf(k *aistats.Key, scopes string) keyDetail {
	return keyDetail{
		ID: k.ID, TeamID: or(k.TeamID, k.WorkspaceID), Name: k.Name, Prefix: k.Prefix, Status: string(k.Status),
		Scopes: scopes, CreatedBy: k.CreatedBy, CreatedAt: formatTimestamp(k.CreatedAt),
		LastUsedAt: formatNullableTimestamp(k.LastUsedAt), SoftBlocked: k.SoftBlocked,
	}
}

// keyGetBody is GET /v1/management/keys/{id}.
func keyGetBody(k *aistats.Key, scopes string) keyBody[keyDetail] {
	return keyBody[keyDetail]{OK: true, Key: keyDetailOf(k, scopes)}
}

// keyListBody is GET /v1/management/keys, with the limit and offset it
// applied and the team's total.
func keyListBody(items []listItem, limit int, offset int64, total int) listBody {
	return listBody{OK: true, Limit: limit, Offset: offset, Total: total, Keys: items}
}

func listItemOf(k *aistats.Key, scopes string) listItem {
	return listItem{
		ID: k.ID, Name: k.Name, Prefix: k.Prefix, Status: string(k.Status), Scopes: scopes,
		CreatedAt: formatTimestamp(k.CreatedAt), LastUsedAt: formatNullableTimestamp(k.LastUsedAt),
	}
}

// createdKeyBody is POST /v1/management/keys.
func createdKeyBody(k *aistats.Key, scopes, plaintext string) keyBody[createdKey] {
	return keyBody[createdKey]{OK: true, Key: createdKey{
		ID: k.ID, Name: k.Name, Prefix: k.Prefix, Status: string(k.Status), Scopes: scopes,
		CreatedAt: formatTimestamp(k.CreatedAt), Key: plaintext,
	}}
}

// errorBodyOf is a 2026-03 error: {"ok":false,"error":code,"message":…},
// or, with no code, the human text alone in "error" ("Key not found").
func errorBodyOf(code, message string) errorBody {
	if code == "" {
		return errorBody{Error: message}
	}
	return errorBody{Error: code, Message: message}
}

func nullableString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
