# ui/session: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    session/hostcontroller.h session/hostcontroller.cpp
    session/joinurl.h session/joinurl.cpp
    session/recentservers.h session/recentservers.cpp
    session/singleinstance.h session/singleinstance.cpp
    session/tokenstore.h session/tokenstore.cpp
)
