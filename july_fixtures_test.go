package aistats

import (
	"testing"
	"time"
)

// 2026-07 answers as contract-2026-07.md §5.1 and §6.1 show them, pretty
// printed like the server's.
const (
	julyKey      = "phaseo_v1_mk_Hk29sdQ3xLmZ_8cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm"
	julyMgmtID   = "3f6c2a9e-8b1d-4c7e-9a2f-5d4e3c2b1a09"
	julyAPIKeyID = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"
	julyHash     = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f"
	julyWS       = "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"
	julySecret   = "phaseo_v1_sk_Q7xk2Pa9LmZt_Xy3kP9qR2sT5vW8zB1cD4fG7hJ0kM3nP6rS9uV2w"
	julyNewMK    = "phaseo_v1_mk_Zz81abQ3xLmZ_0cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm"

	julyMgmtObject = `{
    "id": "` + julyMgmtID + `",
    "workspace_id": "` + julyWS + `",
    "name": "Terraform",
    "prefix": "Hk29sd",
    "status": "active",
    "scopes": ["keys:read", "keys:write", "keys:delete"],
    "created_by": null,
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": "2026-08-20T10:11:12.345678+00:00",
    "last_used_at": null,
    "expires_at": "2027-01-01T00:00:00+00:00",
    "soft_blocked": false,
    "daily_limit_requests": 1000,
    "weekly_limit_requests": null,
    "monthly_limit_requests": null,
    "daily_limit_cost_nanos": 5000000000,
    "weekly_limit_cost_nanos": null,
    "monthly_limit_cost_nanos": null`
	julyMgmtJSON    = `{"data": ` + julyMgmtObject + "\n  }\n}"
	julyMgmtCreated = `{"data": ` + julyMgmtObject + `,
    "key": "` + julyNewMK + `"
  }
}`
	julyMgmtList = `{"data": [` + julyMgmtObject + "\n  }\n]}"

	julyAPIKeyObject = `{
    "id": "` + julyAPIKeyID + `",
    "hash": "` + julyHash + `",
    "workspace_id": "` + julyWS + `",
    "name": "CI pipeline",
    "label": "CI pipeline",
    "prefix": "Q7xk2P",
    "status": "active",
    "disabled": false,
    "soft_blocked": false,
    "include_byok_in_limit": false,
    "limit": 25,
    "limit_reset": "monthly",
    "created_by": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "creator_user_id": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": null,
    "last_used_at": null,
    "expires_at": null`
	julyAPIKeyJSON    = `{"data": ` + julyAPIKeyObject + "\n  }\n}"
	julyAPIKeyCreated = `{"data": ` + julyAPIKeyObject + `,
    "key": "` + julySecret + `"
  }
}`
	julyAPIKeyList = `{"data": [` + julyAPIKeyObject + "\n  }\n], \"total_count\": 7}"
	julyRotated    = `{"data": ` + julyAPIKeyObject + `,
    "key": "` + julySecret + `"
  },
  "previous_key_expires_at": "2026-09-01T00:00:00.000Z"
}`
)

// julyMgmtKey is what julyMgmtJSON decodes to.
func julyMgmtKey() *Key {
	return &Key{
		ID: julyMgmtID, WorkspaceID: julyWS, TeamID: julyWS, Name: "Terraform", Prefix: "Hk29sd",
		Status: KeyStatusActive, Scopes: Scopes{"keys:read", "keys:write", "keys:delete"},
		CreatedAt: time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC),
		UpdatedAt: Ptr(time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC)),
		ExpiresAt: Ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
		Limits:    Limits{Daily: WindowLimit{Requests: Ptr[int64](1000), CostNanos: Ptr[int64](5e9)}},
	}
}

// julyAPIKey is what julyAPIKeyJSON decodes to.
func julyAPIKey() *APIKey {
	return &APIKey{
		ID: julyAPIKeyID, Hash: julyHash, WorkspaceID: julyWS, Name: "CI pipeline", Prefix: "Q7xk2P",
		Status: KeyStatusActive, Limit: Ptr(25.0), LimitReset: LimitResetMonthly,
		CreatedBy: "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		CreatedAt: time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC),
	}
}

// newJulyClient is newTestClient speaking 2026-07 with a management key.
func newJulyClient(t *testing.T, baseURL string, opts ...Option) *Client {
	return newTestClient(t, baseURL, append([]Option{WithAPIKey(julyKey)}, opts...)...)
}

func nan() float64 { z := 0.0; return z / z }
