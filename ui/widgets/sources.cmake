# ui/widgets: one header/source pair per line.
target_sources(roomcast_ui PRIVATE
    widgets/composer.h widgets/composer.cpp
    widgets/messagedelegate.h widgets/messagedelegate.cpp
    widgets/conversationdelegate.h widgets/conversationdelegate.cpp
    widgets/conversationview.h widgets/conversationview.cpp
    widgets/conversationpane.h widgets/conversationpane.cpp
    widgets/memberpane.h widgets/memberpane.cpp
    widgets/roombrowser.h widgets/roombrowser.cpp
    widgets/connectionstatus.h widgets/connectionstatus.cpp
    widgets/notifier.h widgets/notifier.cpp
    widgets/mainwindow.h widgets/mainwindow.cpp
)
