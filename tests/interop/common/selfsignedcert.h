// A throw-away self-signed certificate for 127.0.0.1, made with openssl for TLS tests.
#pragma once

#include <QSslCertificate>
#include <QString>
#include <QTemporaryDir>

class SelfSignedCertificate
{
public:
    //! Generates the key and certificate; check isValid() (and errorString()) afterwards.
    SelfSignedCertificate();

    bool isValid() const { return !m_certificate.isNull(); }
    QString errorString() const { return m_error; }
    QString certificatePath() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    //! The certificate, which is its own CA: add it to a QSslConfiguration to trust the server.
    QSslCertificate certificate() const { return m_certificate; }

private:
    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    QString m_error;
};
