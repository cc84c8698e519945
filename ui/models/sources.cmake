# ui/models: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
)
