package aistats_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

// The examples run against the in-memory fake; with a real account, call
// aistats.NewClient() with AI_STATS_API_KEY set instead.

func ExampleNewClient() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()

	client, err := aistats.NewClient(
		aistats.WithAPIKey(srv.APIKey), // default: $AI_STATS_API_KEY
		aistats.WithBaseURL(srv.URL),   // default: https://api.phaseo.app/v1
		aistats.WithMaxRetries(2),
	)
	if err != nil {
		log.Fatal(err)
	}
	// The client never prints its key.
	fmt.Println(strings.Contains(fmt.Sprintf("%v %+v %#v", client, client, client), srv.APIKey))
	// Output: false
}

func ExampleKeysService_Create() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	client, _ := srv.Client()
	ctx := context.Background()

	created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{
		Name:   "CI pipeline key",
		Scopes: aistats.Scopes{"read", "write"},
	})
	if errors.Is(err, aistats.ErrUnknownOutcome) {
		log.Fatal("the key may exist: list keys before trying again: ", err)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Name, created.Status, created.Scopes)
	// Printing the secret shows only its public prefix; Reveal returns the plaintext.
	fmt.Println(fmt.Sprint(created.Secret) == created.Secret.Reveal())
	fmt.Println(len(created.Secret.Reveal()))
	// Output:
	// CI pipeline key active read,write
	// false
	// 67
}

func ExampleKeysService_List() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	srv.SeedKeys(3)
	client, _ := srv.Client()

	page, err := client.Keys.List(context.Background(), &aistats.ListKeysOptions{Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Keys), page.Limit, page.Offset, page.Total)
	if next, more := page.NextOptions(); more {
		fmt.Println("next offset:", next.Offset)
	}
	// Output:
	// 2 2 0 3
	// next offset: 2
}

func ExampleKeysService_All() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
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
}

func ExampleKeysService_Update() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	key := srv.AddKey(aistatstest.KeySpec{Name: "ops"})
	client, _ := srv.Client()

	updated, err := client.Keys.Update(context.Background(), key.ID, &aistats.UpdateKeyParams{
		Status:      aistats.Ptr(aistats.KeyStatusDisabled),
		SoftBlocked: aistats.Ptr(false),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(updated.Name, updated.Status, updated.SoftBlocked)
	// Output: ops disabled false
}

func ExampleAPIError() {
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	defer srv.Close()
	client, _ := srv.Client()

	_, err := client.Keys.Get(context.Background(), "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
	var apiErr *aistats.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, aistats.ErrNotFound))
	}
	// Output: 404 Key not found true
}
