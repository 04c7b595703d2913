package export

import "testing"

// TestNameUUID checks the UUID version 5 against Python's
// uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com").
func TestNameUUID(t *testing.T) {
	const dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	if got, want := NameUUID(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("NameUUID = %s, want %s", got, want)
	}
}
