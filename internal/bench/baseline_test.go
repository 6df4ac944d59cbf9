package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// baseline is what a Go engineer writes by hand against the API, one
// typed struct per answer: no retries, no buffering, json.Decoder straight
// off the body. It speaks both versions; which methods a program calls
// decides the version.
type baseline struct {
	hc      *http.Client
	baseURL string
	auth    string
}

func newBaseline(hc *http.Client, baseURL, key string) *baseline {
	return &baseline{hc: hc, baseURL: baseURL, auth: "Bearer " + key}
}

// getJSON sends one GET and decodes a 200 answer into out.
func (c *baseline) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// pageQuery is ?limit=…&offset=….
func pageQuery(limit, offset int) string {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(offset))
	return q.Encode()
}

// ---- 2026-03: /management/keys, {ok, …} envelopes.

// baseKey is the detail shape of GET /management/keys/{id}.
type baseKey struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Prefix      string     `json:"prefix"`
	Status      string     `json:"status"`
	Scopes      string     `json:"scopes"`
	TeamID      string     `json:"team_id"`
	CreatedBy   string     `json:"created_by"`
	SoftBlocked bool       `json:"soft_blocked"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

type basePage struct {
	OK     bool      `json:"ok"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Total  int       `json:"total"`
	Keys   []baseKey `json:"keys"`
}

func (c *baseline) Get(ctx context.Context, id string) (*baseKey, error) {
	var env struct {
		OK  bool    `json:"ok"`
		Key baseKey `json:"key"`
	}
	if err := c.getJSON(ctx, c.baseURL+"/management/keys/"+url.PathEscape(id), &env); err != nil {
		return nil, err
	}
	return &env.Key, nil
}

func (c *baseline) List(ctx context.Context, limit, offset int) (*basePage, error) {
	var page basePage
	if err := c.getJSON(ctx, c.baseURL+"/management/keys?"+pageQuery(limit, offset), &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// Walk pages by offset until a short page or the total, calling fn for
// every key; each page is dropped once walked.
func (c *baseline) Walk(ctx context.Context, limit int, fn func(*baseKey)) error {
	for offset := 0; ; {
		page, err := c.List(ctx, limit, offset)
		if err != nil {
			return err
		}
		for i := range page.Keys {
			fn(&page.Keys[i])
		}
		offset += len(page.Keys)
		if len(page.Keys) < limit || offset >= page.Total {
			return nil
		}
	}
}

// ---- 2026-07: /management-keys and /keys, {"data": …} envelopes.

// baseMgmtKey is a management key as GET /management-keys/{id} sends it.
type baseMgmtKey struct {
	ID                    string     `json:"id"`
	WorkspaceID           string     `json:"workspace_id"`
	Name                  string     `json:"name"`
	Prefix                string     `json:"prefix"`
	Status                string     `json:"status"`
	Scopes                []string   `json:"scopes"`
	CreatedBy             string     `json:"created_by"`
	CreatedAt             time.Time  `json:"created_at"`
	UpdatedAt             *time.Time `json:"updated_at"`
	LastUsedAt            *time.Time `json:"last_used_at"`
	ExpiresAt             *time.Time `json:"expires_at"`
	SoftBlocked           bool       `json:"soft_blocked"`
	DailyLimitRequests    *int64     `json:"daily_limit_requests"`
	WeeklyLimitRequests   *int64     `json:"weekly_limit_requests"`
	MonthlyLimitRequests  *int64     `json:"monthly_limit_requests"`
	DailyLimitCostNanos   *int64     `json:"daily_limit_cost_nanos"`
	WeeklyLimitCostNanos  *int64     `json:"weekly_limit_cost_nanos"`
	MonthlyLimitCostNanos *int64     `json:"monthly_limit_cost_nanos"`
}

// baseAPIKey is an API key as GET /keys lists it.
type baseAPIKey struct {
	ID            string     `json:"id"`
	Hash          string     `json:"hash"`
	WorkspaceID   string     `json:"workspace_id"`
	Name          string     `json:"name"`
	Prefix        string     `json:"prefix"`
	Status        string     `json:"status"`
	Disabled      bool       `json:"disabled"`
	SoftBlocked   bool       `json:"soft_blocked"`
	Limit         *float64   `json:"limit"` // USD per LimitReset window
	LimitReset    string     `json:"limit_reset"`
	CreatedBy     string     `json:"created_by"`
	CreatorUserID string     `json:"creator_user_id"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     *time.Time `json:"updated_at"`
	LastUsedAt    *time.Time `json:"last_used_at"`
	ExpiresAt     *time.Time `json:"expires_at"`
}

type baseAPIKeyPage struct {
	Data       []baseAPIKey `json:"data"`
	TotalCount int          `json:"total_count"`
}

func (c *baseline) GetManagementKey(ctx context.Context, id string) (*baseMgmtKey, error) {
	var env struct {
		Data baseMgmtKey `json:"data"`
	}
	if err := c.getJSON(ctx, c.baseURL+"/management-keys/"+url.PathEscape(id), &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

func (c *baseline) ListAPIKeys(ctx context.Context, limit, offset int) (*baseAPIKeyPage, error) {
	var page baseAPIKeyPage
	if err := c.getJSON(ctx, c.baseURL+"/keys?"+pageQuery(limit, offset), &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// WalkAPIKeys pages by offset until a short page or the total count,
// calling fn for every key; each page is dropped once walked.
func (c *baseline) WalkAPIKeys(ctx context.Context, limit int, fn func(*baseAPIKey)) error {
	for offset := 0; ; {
		page, err := c.ListAPIKeys(ctx, limit, offset)
		if err != nil {
			return err
		}
		for i := range page.Data {
			fn(&page.Data[i])
		}
		offset += len(page.Data)
		if len(page.Data) < limit || offset >= page.TotalCount {
			return nil
		}
	}
}
