using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.TokenStores;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// The ConsoleProxy controller on the runtime's builder: <see cref="ConsoleProxyReconciler"/> from DI, owning the eight
/// kinds it builds (each watched through the shared informer of managed objects), checking token stores through the
/// shared <see cref="ProxyTokenStores"/> (register one), so TokenStoreReady describes the very path tokens take.
/// </summary>
public static class ConsoleProxyControllerRegistration
{
    public static OperatorBuilder AddConsoleProxyController(this OperatorBuilder builder, ConsoleProxyControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.Services.AddSingleton(provider =>
        {
            var registry = provider.GetRequiredService<InformerRegistry>();
            var client = provider.GetRequiredService<KubernetesClient>();
            IReadOnlyList<IOwnedKind> owned =
            [
                Own<V1ServiceAccount>(), Own<V1ConfigMap>(), Own<V1Secret>(), Own<V1Service>(), Own<V1Deployment>(),
                Own<V1PodDisruptionBudget>(), Own<V2HorizontalPodAutoscaler>(), Own<V1NetworkPolicy>(),
            ];
            return new ConsoleProxyReconciler(
                ConsoleProxyController.ProxyClient(client, options.Namespace),
                owned,
                client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>()),
                new TokenStoreProbe(provider.GetRequiredService<ProxyTokenStores>()),
                ownedStores: null,
                provider.GetRequiredService<EventRecorder>(),
                options,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<ConsoleProxyReconciler>>());

            OwnedKind<T> Own<T>()
                where T : class, IKubernetesObject<V1ObjectMeta>
            {
                var descriptor = ResourceDescriptor.ForEntity<T>();
                var informer = registry.Get<T>(ConsoleProxyController.ManagedObjectsSelector, InformerName(descriptor));
                return new OwnedKind<T>(client.Resource(descriptor, EntityJson.TypeInfo<T>(), options.Namespace), EntityJson.TypeInfo<T>(), informer, options.FieldManager, options.HashAnnotation);
            }
        });
        return builder.AddController<ConsoleProxyReconciler, ConsoleProxyResource>(controller =>
        {
            controller.Name = ConsoleProxyController.Name;
            controller.Workers = options.Workers;
            controller.InformerName = ConsoleProxyController.ProxiesInformerName;
            Owns<V1ServiceAccount>(controller);
            Owns<V1ConfigMap>(controller);
            Owns<V1Secret>(controller);
            Owns<V1Service>(controller);
            Owns<V1Deployment>(controller);
            Owns<V1PodDisruptionBudget>(controller);
            Owns<V2HorizontalPodAutoscaler>(controller);
            Owns<V1NetworkPolicy>(controller);
        });
    }

    private static void Owns<T>(EntityControllerBuilder<ConsoleProxyResource> controller)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        controller.Owns<T>(ConsoleProxyController.ManagedObjectsSelector, InformerName(ResourceDescriptor.ForEntity<T>()));

    private static string InformerName(ResourceDescriptor descriptor) => $"consoleproxy-{descriptor.Plural}";
}
