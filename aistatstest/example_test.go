package aistatstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

func ExampleNewServer() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{
		Name:   "CI pipeline key",
		Scopes: aistats.Scopes{"read", "write"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, created.Status)

	page, err := client.Keys.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range page.Keys {
		fmt.Println("listed:", k.Name, k.Scopes, k.ID == created.ID)
	}
	// Output:
	// created: CI pipeline key active
	// listed: CI pipeline key read,write true
}

func ExampleServer_Inject() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(3)

	// The next two requests fail the way a struggling gateway does.
	srv.Inject(aistatstest.ServiceUnavailable(1))
	srv.Inject(aistatstest.RateLimited(1, "0"))

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Keys.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keys:", len(page.Keys))
	for _, r := range srv.Requests() {
		fmt.Printf("#%d %s %s fault=%q\n", r.N, r.Method, r.Path, r.Fault)
	}
	// Output:
	// keys: 3
	// #1 GET /v1/management/keys fault="respond 503"
	// #2 GET /v1/management/keys fault="respond 429"
	// #3 GET /v1/management/keys fault=""
}

func ExampleServer_AddKey() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	// Seed a key the API itself would not create: the dashboard writes
	// "paused", and legacy keys store scopes as a comma list.
	key := srv.AddKey(aistatstest.KeySpec{Name: "legacy", Status: "paused", Scopes: "read,write"})

	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Keys.Get(context.Background(), key.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, got.Status, got.Scopes, got.TeamID == srv.TeamID)
	// Output: legacy paused read,write true
}

// 2026-07, the default, is exercised over raw HTTP until the SDK speaks it.
func ExampleServer_MintKey() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedAPIKeys(2)
	// A management key that may only read API keys.
	reader := srv.MintKey(aistatstest.KeySpec{Name: "dashboard", Scopes: `["keys:read"]`})

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, err := http.NewRequest(method, srv.URL+"/keys", strings.NewReader(`{"name":"new"}`))
		if err != nil {
			log.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+reader.Secret.Reveal())
		res, err := srv.HTTPClient().Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var answer struct {
			Data       []aistats.APIKey `json:"data"`
			TotalCount int              `json:"total_count"`
			Message    string           `json:"message"`
		}
		if err := json.Unmarshal(body, &answer); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %d keys=%d total=%d message=%q\n", method, res.StatusCode, len(answer.Data), answer.TotalCount, answer.Message)
	}
	// Output:
	// GET 200 keys=2 total=2 message=""
	// POST 403 keys=0 total=0 message="Token requires keys:write"
}

func ExampleServer_AddAPIKey() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	limit := 25.0
	key := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "CI", Limit: &limit})

	// Deleting an API key leaves a tombstone that GET still finds by id.
	req, err := http.NewRequest(http.MethodDelete, srv.URL+"/keys/"+key.Hash, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	res, err := srv.HTTPClient().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()

	stored, _ := srv.APIKeyByID(key.ID)
	_, byHash := srv.APIKeyByID(key.Hash)
	fmt.Println(res.StatusCode, stored.Status, stored.Disabled, *stored.Limit, stored.Hash == "deleted:"+key.ID, byHash)
	// Output: 200 deleted true 25 true false
}
