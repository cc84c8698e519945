# tests/ui: models suites (roomcast_add_test … LABELS ui)
