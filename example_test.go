package aistats_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

// The examples run against the in-memory fake; with a real account, call
// aistats.NewClient() with AI_STATS_API_KEY set to a phaseo_v1_mk_ key.

func ExampleNewClient() {
	srv := aistatstest.NewServer()
	defer srv.Close()

	client, err := aistats.NewClient(
		aistats.WithAPIKey(srv.ManagementKey), // default: $AI_STATS_API_KEY, then $PHASEO_API_KEY
		aistats.WithBaseURL(srv.URL),          // default: https://api.phaseo.app/v1
		aistats.WithMaxRetries(2),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.APIVersion()) // chosen by the phaseo_v1_mk_ key
	// The client never prints its key.
	fmt.Println(strings.Contains(fmt.Sprintf("%v %+v %#v", client, client, client), srv.ManagementKey))
	// Output:
	// 2026-07
	// false
}

func ExampleAPIKeysService_Create() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	key, err := client.APIKeys.Create(context.Background(), &aistats.CreateAPIKeyParams{
		Name:       "acme production",
		Limit:      aistats.Ptr(50.0),
		LimitReset: aistats.LimitResetMonthly,
	})
	if errors.Is(err, aistats.ErrUnknownOutcome) {
		log.Fatal("the key may exist: list keys before trying again: ", err)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Name, key.Status, *key.Limit, key.LimitReset)
	// Printing the secret shows only its public prefix; Reveal returns the plaintext.
	fmt.Println(strings.HasSuffix(key.Secret.String(), "…"), strings.HasPrefix(key.Secret.Reveal(), "phaseo_v1_sk_"))
	// Output:
	// acme production active 50 monthly
	// true true
}

func ExampleAPIKeysService_Rotate() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	old := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "acme production"})
	client, _ := srv.Client()

	grace := time.Now().Add(24 * time.Hour)
	rotated, err := client.APIKeys.Rotate(context.Background(), old.ID, &aistats.RotateAPIKeyParams{PreviousKeyExpiresAt: &grace})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rotated.Name, rotated.ID != old.ID, rotated.PreviousKeyExpiresAt != nil)
	// Output: acme production (rotated) true true
}

func ExampleAPIKeysService_All() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedAPIKeys(3)
	srv.AddAPIKey(aistatstest.APIKeySpec{Name: "paused", Status: aistats.KeyStatusPaused})
	client, _ := srv.Client()

	// Paused, soft-blocked and deleted keys are hidden unless asked for.
	for key, err := range client.APIKeys.All(context.Background(), &aistats.ListAPIKeysOptions{IncludeDisabled: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(key.Name, key.Status)
	}
	// Output:
	// paused paused
	// api-key-0003 active
	// api-key-0002 active
	// api-key-0001 active
}

func ExampleKeysService_Create() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	created, err := client.Keys.Create(context.Background(), &aistats.CreateKeyParams{
		Name:     "terraform",
		Template: aistats.KeyTemplateReadWrite,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Name, created.Status, len(created.Scopes), strings.HasPrefix(created.Secret.String(), "phaseo_v1_mk_"))
	// Output: terraform active 24 true
}

func ExampleKeysService_List() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedKeys(3)
	client, _ := srv.Client()

	page, err := client.Keys.List(context.Background(), &aistats.ListKeysOptions{Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page) // 2026-07 reports no total: -1
	if next, more := page.NextOptions(); more {
		fmt.Println("next offset:", next.Offset)
	}
	// Output:
	// aistats.KeyPage{Keys: 2, Limit: 2, Offset: 0, Total: -1}
	// next offset: 2
}

func ExampleKeysService_All() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	srv.SeedKeys(3)
	client, _ := srv.Client()

	for key, err := range client.Keys.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(key.Name)
	}
	// Output:
	// key-0003
	// key-0002
	// key-0001
	// aistatstest
}

func ExampleKeysService_Update() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	key := srv.AddKey(aistatstest.KeySpec{Name: "ops", Scopes: "keys:read"})
	client, _ := srv.Client()

	updated, err := client.Keys.Update(context.Background(), key.ID, &aistats.UpdateKeyParams{
		Status:    aistats.Ptr(aistats.KeyStatusPaused),
		ExpiresAt: aistats.Ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(updated.Name, updated.Status, updated.ExpiresAt.Format(time.DateOnly))
	// Output: ops paused 2027-01-01
}

func ExampleAPIError() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	_, err := client.Keys.Get(context.Background(), "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
	var apiErr *aistats.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message, errors.Is(err, aistats.ErrNotFound))
	}
	// Output: 404 not_found Management key not found true
}

func ExampleErrEndpointNotFound() {
	srv := aistatstest.NewServer() // today's API
	defer srv.Close()
	// A client forced onto the retired 2026-03 dialect finds no route.
	client, _ := srv.Client(aistats.WithAPIVersion(aistats.APIVersionMarch2026))

	_, err := client.Keys.List(context.Background(), nil)
	fmt.Println(errors.Is(err, aistats.ErrEndpointNotFound), errors.Is(err, aistats.ErrNotFound))
	fmt.Println(strings.Contains(err.Error(), "retired /v1/management/keys on 2026-04-29"))
	// Output:
	// true false
	// true
}
