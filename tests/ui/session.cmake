# tests/ui: session suites (roomcast_add_test … LABELS ui)
