<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Roomcast::Ui::ConnectionStatus</name>
    <message numerus="yes">
        <source>%1 Reconnecting in %n s…</source>
        <translation>
            <numerusform>%1 Reconnecting in %Ln s…</numerusform>
            <numerusform>%1 Reconnecting in %Ln s…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostDialog</name>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters, without invisible ones.</source>
        <translation>
            <numerusform>Not a room name: 1 to %Ln printable character, without invisible ones.</numerusform>
            <numerusform>Not a room name: 1 to %Ln printable characters, without invisible ones.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinDialog</name>
    <message numerus="yes">
        <source>A nickname has at most %n characters.</source>
        <translation>
            <numerusform>A nickname has at most %Ln character.</numerusform>
            <numerusform>A nickname has at most %Ln characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters.</source>
        <translation>
            <numerusform>Not a room name: 1 to %Ln printable character.</numerusform>
            <numerusform>Not a room name: 1 to %Ln printable characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinUrl</name>
    <message numerus="yes">
        <source>The link&apos;s room name is not valid: 1 to %n characters, printable, without surrounding spaces.</source>
        <translation>
            <numerusform>The link&apos;s room name is not valid: 1 to %Ln character, printable, without surrounding spaces.</numerusform>
            <numerusform>The link&apos;s room name is not valid: 1 to %Ln characters, printable, without surrounding spaces.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MainWindow</name>
    <message numerus="yes">
        <source>You are sending too fast: wait %n second(s).</source>
        <translation>
            <numerusform>You are sending too fast: wait %Ln second.</numerusform>
            <numerusform>You are sending too fast: wait %Ln seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MemberPane</name>
    <message numerus="yes">
        <source>Members (%n)</source>
        <translation>
            <numerusform>Members (%Ln)</numerusform>
            <numerusform>Members (%Ln)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::Notifier</name>
    <message numerus="yes">
        <source>Roomcast: %n unread message(s)</source>
        <translation>
            <numerusform>Roomcast: %Ln unread message</numerusform>
            <numerusform>Roomcast: %Ln unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::RoomBrowser</name>
    <message numerus="yes">
        <source>#%1 · %n member(s)</source>
        <translation>
            <numerusform>#%1 · %Ln member</numerusform>
            <numerusform>#%1 · %Ln members</numerusform>
        </translation>
    </message>
</context>
</TS>
