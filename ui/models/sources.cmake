# ui/models: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    models/conversation.h
    models/messagemodel.h models/messagemodel.cpp
    models/tailwindowmodel.h models/tailwindowmodel.cpp
    models/conversationlistmodel.h models/conversationlistmodel.cpp
    models/conversationfiltermodel.h models/conversationfiltermodel.cpp
    models/chatsession.h models/chatsession.cpp
    models/membermodel.h models/membermodel.cpp
    models/roomdirectorymodel.h models/roomdirectorymodel.cpp
    models/discoveredserversmodel.h models/discoveredserversmodel.cpp
)
