# tests/ui: widgets suites (roomcast_add_test … LABELS ui)
