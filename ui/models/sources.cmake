# ui/models: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    models/membermodel.h models/membermodel.cpp
    models/roomdirectorymodel.h models/roomdirectorymodel.cpp
    models/discoveredserversmodel.h models/discoveredserversmodel.cpp
)
